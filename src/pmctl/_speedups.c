/* The scans `pmctl validate` runs over every record's text or data, in C.
 *
 * Each function answers exactly what its Python twin answers, or (for
 * `plain_timeline`) answers yes only where its twin finds nothing; the twin
 * is named in the function's doc string, and tests hold the two to that on
 * the test suite's texts and on many generated ones. pmctl runs without
 * this module (a source install with no compiler), only slower.
 *
 * Texts arrive as bytes and are read one byte at a time, as Python's `re`
 * reads bytes: every byte of a multi-byte UTF-8 character is above 0x7f,
 * so none is mistaken for the ASCII characters looked for here.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

typedef unsigned char byte;

/* One table per set of bytes: has[b] is 1 when b is in the set. */
typedef struct {
    byte has[256];
} byteset;

static byteset CONTROL, PROPERTY, TOKEN_END, BEFORE_VALUE, BEFORE_NODE,
    NOT_PLAIN_START, AFTER_KEY, INTERESTING, NUMBER_START;

static void
add(byteset *set, const char *members)
{
    for (; *members; members++) {
        set->has[(byte)*members] = 1;
    }
}

static void
init_sets(void)
{
    for (int b = 0; b < 0x20; b++) {
        CONTROL.has[b] = b != '\n';
    }
    CONTROL.has[0x7f] = 1;
    add(&PROPERTY, "!&*%@`?");
    add(&TOKEN_END, " \n[]{},:?'\"#-|>!&*%@`");
    add(&BEFORE_VALUE, "\n:-?");
    add(&BEFORE_NODE, "\n:-?,[{");
    /* What follows the spaces after a closer in yaml_fast's `_AFTER_CLOSE`
     * for its second branch to be tried: not these (`\s` is the first five
     * and vertical tab). */
    add(&NOT_PLAIN_START, " \t\n\r\f\v:#,]}");
    add(&AFTER_KEY, " \n,[]{}");
    for (int b = 0; b < 256; b++) {
        INTERESTING.has[b] = CONTROL.has[b] || PROPERTY.has[b];
    }
    add(&INTERESTING, "\n,]}|>\"'[{:");
    add(&NUMBER_START, "-+.0123456789");
}

/* Whether the byte at `at` starts its line or follows one of `after` and
 * spaces (`_value_starts`). */
static int
value_start(const byte *s, Py_ssize_t at, const byteset *after)
{
    Py_ssize_t before = at - 1;
    while (before >= 0 && s[before] == ' ') {
        before--;
    }
    return before < 0 || after->has[s[before]];
}

/* `_BLOCK_HEADER` at `at`: `[|>][-+]? *\n`. */
static int
block_header(const byte *s, Py_ssize_t n, Py_ssize_t at)
{
    Py_ssize_t i = at + 1;
    if (i < n && (s[i] == '-' || s[i] == '+')) {
        i++;
    }
    while (i < n && s[i] == ' ') {
        i++;
    }
    return i < n && s[i] == '\n';
}

/* `_key_starts_before`: an even number of `quote`s on the line before `at`,
 * escaped double quotes not counted. */
static int
key_starts_before(const byte *s, Py_ssize_t at, byte quote)
{
    Py_ssize_t start = at;
    while (start > 0 && s[start - 1] != '\n') {
        start--;
    }
    Py_ssize_t quotes = 0;
    for (Py_ssize_t i = start; i < at; i++) {
        if (s[i] == quote && !(quote == '"' && i > start && s[i - 1] == '\\')) {
            quotes++;
        }
    }
    return quotes % 2 == 0;
}

static int
colon_ends_key(const byte *s, Py_ssize_t n, Py_ssize_t at)
{
    return at + 1 < n && (s[at + 1] == ' ' || s[at + 1] == '\n');
}

/* `_AFTER_CLOSE[closer]` matching at `at`, judged as `_risky` judges it. */
static int
after_close(const byte *s, Py_ssize_t n, Py_ssize_t at)
{
    Py_ssize_t first = at + 1, i = first;
    while (i < n && s[i] == ' ') {
        i++;
    }
    /* ` *-[ \n]`: another entry on the line. */
    if (i + 1 < n && s[i] == '-' && (s[i + 1] == ' ' || s[i + 1] == '\n')) {
        return 1;
    }
    /* ` +[^\s:#,\]}][^\n]*:[ \n]`: a key after the closer on its line. */
    if (i > first && i < n && !NOT_PLAIN_START.has[s[i]]) {
        for (Py_ssize_t j = i + 1; j < n && s[j] != '\n'; j++) {
            if (s[j] == ':' && colon_ends_key(s, n, j)) {
                return 1;
            }
        }
    }
    /* `( *):[ \n]`: the closer ends a key. */
    if (i < n && s[i] == ':' && colon_ends_key(s, n, i)) {
        byte closer = s[at];
        if (closer != '"' && closer != '\'') {
            return 1;
        }
        return key_starts_before(s, at, closer);
    }
    return 0;
}

/* `[\[{,] *:` or `: *:` from `at`. */
static int
colon_follows(const byte *s, Py_ssize_t n, Py_ssize_t at)
{
    Py_ssize_t i = at + 1;
    while (i < n && s[i] == ' ') {
        i++;
    }
    return i < n && s[i] == ':';
}

/* `_INDENTED.match`: blank and comment lines, then an indented line. */
static int
indented(const byte *s, Py_ssize_t n)
{
    Py_ssize_t line = 0;
    for (;;) {
        Py_ssize_t i = line;
        while (i < n && s[i] == ' ') {
            i++;
        }
        if (i < n && s[i] == '#') {
            while (i < n && s[i] != '\n') {
                i++;
            }
        }
        if (i < n && s[i] == '\n') {
            line = i + 1;
            continue;
        }
        break;
    }
    Py_ssize_t i = line;
    while (i < n && s[i] == ' ') {
        i++;
    }
    return i > line && i < n && s[i] != ' ' && s[i] != '#' && s[i] != '\n';
}

static int
marker_at(const byte *s, Py_ssize_t n, Py_ssize_t at)
{
    return at + 3 <= n && (memcmp(s + at, "---", 3) == 0 ||
                           memcmp(s + at, "...", 3) == 0);
}

static int
scan_risky(const byte *s, Py_ssize_t n, Py_ssize_t far)
{
    if (indented(s, n) || marker_at(s, n, 0)) {
        return 1;
    }

    int flow = 0, flow_colon = 0;
    Py_ssize_t line = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        byte b = s[i];
        if (!INTERESTING.has[b]) {
            continue;
        }
        if (CONTROL.has[b]) {
            return 1;
        }
        if (PROPERTY.has[b] && (i == 0 || TOKEN_END.has[s[i - 1]])) {
            return 1;
        }
        switch (b) {
        case '\n':
            line = i + 1;
            if (marker_at(s, n, line)) {
                return 1;
            }
            break;
        case ',':
            if (value_start(s, i, &BEFORE_VALUE)) {
                return 1;
            }
            flow_colon |= colon_follows(s, n, i);
            break;
        case ']':
        case '}':
            if (value_start(s, i, &BEFORE_VALUE) || after_close(s, n, i)) {
                return 1;
            }
            break;
        case '|':
        case '>':
            if (value_start(s, i, &BEFORE_NODE) && !block_header(s, n, i)) {
                return 1;
            }
            break;
        case '"':
        case '\'':
            if (after_close(s, n, i)) {
                return 1;
            }
            break;
        case '[':
        case '{':
            flow = 1;
            flow_colon |= colon_follows(s, n, i);
            break;
        case ':':
            flow_colon |= colon_follows(s, n, i);
            /* A `:` that may end a key `far` bytes or more into its line. */
            if (i - line >= far - 1 &&
                ((i + 1 < n && AFTER_KEY.has[s[i + 1]]) ||
                 s[i - 1] == '"' || s[i - 1] == '\'')) {
                return 1;
            }
            break;
        }
    }
    return flow && flow_colon;
}

PyDoc_STRVAR(risky_doc,
"risky(source, far, /)\n--\n\n"
"What `pmctl.records.yaml_fast._risky_bytes(source)` answers, with `far`\n"
"its `_FAR`.");

static PyObject *
risky(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyBytes_Check(args[0]) || !PyLong_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "risky(source: bytes, far: int)");
        return NULL;
    }
    Py_ssize_t far = PyLong_AsSsize_t(args[1]);
    if (far == -1 && PyErr_Occurred()) {
        return NULL;
    }
    /* The byte before a far `:` is read: it must be in the line. */
    if (far < 2) {
        PyErr_SetString(PyExc_ValueError, "risky: far must be 2 or more");
        return NULL;
    }
    const byte *s = (const byte *)PyBytes_AS_STRING(args[0]);
    Py_ssize_t n = PyBytes_GET_SIZE(args[0]);
    int found;
    Py_BEGIN_ALLOW_THREADS
    found = scan_risky(s, n, far);
    Py_END_ALLOW_THREADS
    return PyBool_FromLong(found);
}

/* How many bytes from `at` on are in `allowed`. */
static Py_ssize_t
digits(const byte *p, Py_ssize_t n, Py_ssize_t at, const char *allowed)
{
    Py_ssize_t i = at;
    while (i < n && p[i] && strchr(allowed, p[i])) {
        i++;
    }
    return i - at;
}

static int
one_of(const byte *p, Py_ssize_t n, const char *a, const char *b, const char *c)
{
    Py_ssize_t size = (Py_ssize_t)strlen(a);
    return n == size && (memcmp(p, a, size) == 0 || memcmp(p, b, size) == 0 ||
                         memcmp(p, c, size) == 0);
}

/* Whether `p[:n]` is in `INT` or `FLOAT` of pmctl.records.scalars. */
static int
is_number(const byte *p, Py_ssize_t n)
{
    static const char *decimal = "0123456789";
    if (n >= 3 && p[0] == '0' && (p[1] == 'o' || p[1] == 'x')) {
        const char *allowed = p[1] == 'o' ? "01234567" : "0123456789abcdefABCDEF";
        if (digits(p, n, 2, allowed) == n - 2) {
            return 1;
        }
    }
    if (one_of(p, n, ".nan", ".NaN", ".NAN")) {
        return 1;
    }

    Py_ssize_t i = n > 0 && (p[0] == '-' || p[0] == '+');
    if (one_of(p + i, n - i, ".inf", ".Inf", ".INF")) {
        return 1;
    }
    Py_ssize_t whole = digits(p, n, i, decimal);
    i += whole;
    if (i < n && p[i] == '.') {
        Py_ssize_t fraction = digits(p, n, i + 1, decimal);
        if (whole == 0 && fraction == 0) {
            return 0;
        }
        i += 1 + fraction;
    }
    else if (whole == 0) {
        return 0;
    }
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        i += i < n && (p[i] == '-' || p[i] == '+');
        Py_ssize_t exponent = digits(p, n, i, decimal);
        if (exponent == 0) {
            return 0;
        }
        i += exponent;
    }
    return i == n;
}

static int
is_word(const byte *p, Py_ssize_t n, PyObject *words)
{
    Py_ssize_t count = PyTuple_GET_SIZE(words);
    for (Py_ssize_t k = 0; k < count; k++) {
        PyObject *word = PyTuple_GET_ITEM(words, k);
        if (PyBytes_GET_SIZE(word) == n &&
            memcmp(PyBytes_AS_STRING(word), p, n) == 0) {
            return 1;
        }
    }
    return 0;
}

PyDoc_STRVAR(not_text_doc,
"not_text(emitted, words, /)\n--\n\n"
"Whether `pmctl.records.yaml_fast._NOT_TEXT` finds a match in `emitted`,\n"
"with `words` the bytes of its `_NOT_TEXT_STRINGS`.");

static PyObject *
not_text(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyBytes_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "not_text(emitted: bytes, words: tuple)");
        return NULL;
    }
    PyObject *words = args[1];
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(words); k++) {
        if (!PyBytes_Check(PyTuple_GET_ITEM(words, k))) {
            PyErr_SetString(PyExc_TypeError, "not_text: words must be bytes");
            return NULL;
        }
    }
    const byte *s = (const byte *)PyBytes_AS_STRING(args[0]);
    Py_ssize_t n = PyBytes_GET_SIZE(args[0]);
    byteset starts = {{0}};
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(words); k++) {
        PyObject *word = PyTuple_GET_ITEM(words, k);
        starts.has[(byte)PyBytes_AS_STRING(word)[0]] = 1;
    }

    /* Every quote not after a backslash, and what follows it: a space, or
     * a word or a number up to the next quote. */
    const byte *quote = memchr(s, '"', n);
    while (quote != NULL) {
        Py_ssize_t at = quote - s;
        const byte *next = at + 1 < n ? memchr(s + at + 1, '"', n - at - 1) : NULL;
        if (at > 0 && s[at - 1] != '\\' && at + 1 < n) {
            const byte *content = s + at + 1;
            Py_ssize_t size = next == NULL ? -1 : next - content;
            if (content[0] == ' ') {
                Py_RETURN_TRUE;
            }
            if (size >= 0 && (size == 0 || starts.has[content[0]]) &&
                is_word(content, size, words)) {
                Py_RETURN_TRUE;
            }
            if (size > 0 && NUMBER_START.has[content[0]] &&
                is_number(content, size)) {
                Py_RETURN_TRUE;
            }
        }
        quote = next;
    }
    Py_RETURN_FALSE;
}

/* Past the JSON string whose opening quote is at `at`: the offset after its
 * closing quote, or `n` when it is never closed. */
static Py_ssize_t
string_end(const byte *s, Py_ssize_t n, Py_ssize_t at)
{
    Py_ssize_t i = at + 1;
    while (i < n) {
        const byte *stop = memchr(s + i, '"', n - i);
        if (stop == NULL) {
            return n;
        }
        Py_ssize_t quote = stop - s;
        Py_ssize_t slashes = 0;
        while (quote - slashes - 1 > at && s[quote - slashes - 1] == '\\') {
            slashes++;
        }
        if (slashes % 2 == 0) {
            return quote + 1;
        }
        i = quote + 1;
    }
    return n;
}

static int
json_space(byte b)
{
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
}

PyDoc_STRVAR(json_shape_doc,
"json_shape(emitted, /)\n--\n\n"
"The number of object keys in the JSON text `emitted` (strings followed by\n"
"a colon) and its deepest nesting of brackets outside strings: the second\n"
"is over `_FAST_DEPTH` where `pmctl.records.yaml_fast._too_deep` says so.");

static PyObject *
json_shape(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 1 || !PyBytes_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "json_shape(emitted: bytes)");
        return NULL;
    }
    const byte *s = (const byte *)PyBytes_AS_STRING(args[0]);
    Py_ssize_t n = PyBytes_GET_SIZE(args[0]);
    Py_ssize_t keys = 0, depth = 0, deepest = 0;
    for (Py_ssize_t i = 0; i < n;) {
        byte b = s[i];
        if (b == '"') {
            i = string_end(s, n, i);
            Py_ssize_t after = i;
            while (after < n && json_space(s[after])) {
                after++;
            }
            keys += after < n && s[after] == ':';
            continue;
        }
        if (b == '[' || b == '{') {
            depth++;
            deepest = depth > deepest ? depth : deepest;
        }
        else if (b == ']' || b == '}') {
            depth--;
        }
        i++;
    }
    return Py_BuildValue("(nn)", keys, deepest);
}

/* The keys of every dict in `value`, to any depth; -1 with an exception set
 * when the nesting is too deep for the C stack. */
static Py_ssize_t
count_keys(PyObject *value)
{
    Py_ssize_t count = 0;
    if (PyDict_CheckExact(value)) {
        if (Py_EnterRecursiveCall(" in key_count")) {
            return -1;
        }
        count = PyDict_GET_SIZE(value);
        Py_ssize_t position = 0;
        PyObject *key, *item;
        while (count >= 0 && PyDict_Next(value, &position, &key, &item)) {
            Py_ssize_t inner = count_keys(item);
            count = inner < 0 ? -1 : count + inner;
        }
        Py_LeaveRecursiveCall();
    }
    else if (PyList_CheckExact(value)) {
        if (Py_EnterRecursiveCall(" in key_count")) {
            return -1;
        }
        for (Py_ssize_t k = 0; count >= 0 && k < PyList_GET_SIZE(value); k++) {
            Py_ssize_t inner = count_keys(PyList_GET_ITEM(value, k));
            count = inner < 0 ? -1 : count + inner;
        }
        Py_LeaveRecursiveCall();
    }
    return count;
}

PyDoc_STRVAR(key_count_doc,
"key_count(value, /)\n--\n\n"
"The number of keys of every dict in `value`, in dicts and lists to any\n"
"depth, as `json.loads` builds them: fewer than `json_shape` counted in\n"
"the text where `pmctl.records.yaml_fast._pairs` finds a key given twice.");

static PyObject *
key_count(PyObject *module, PyObject *value)
{
    Py_ssize_t count = count_keys(value);
    return count < 0 ? NULL : PyLong_FromSsize_t(count);
}

/* The number written by `count` ASCII digits at `p`, or -1. */
static long
number_at(const byte *p, int count)
{
    long value = 0;
    for (int i = 0; i < count; i++) {
        if (p[i] < '0' || p[i] > '9') {
            return -1;
        }
        value = value * 10 + (p[i] - '0');
    }
    return value;
}

static int
days_in_month(long year, long month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    return days[month - 1] + (month == 2 && leap);
}

/* Days from 1970-01-01 to a date of the proleptic Gregorian calendar. */
static long long
days_from_civil(long year, long month, long day)
{
    year -= month <= 2;
    long era = year / 400;
    long of_era = year - era * 400;
    long of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long of_cycle = of_era * 365 + of_era / 4 - of_era / 100 + of_year;
    return (long long)era * 146097 + of_cycle - 719468;
}

/* The seconds since 1970 of a timestamp in one of the shapes of
 * `timeparse._COMMON_SHAPES` that `datetime.fromisoformat` takes, or 0 in
 * `*ok` for any other text (which the Python rules then judge). */
static long long
plain_moment(PyObject *text, int *ok)
{
    *ok = 0;
    if (!PyUnicode_Check(text) || !PyUnicode_IS_ASCII(text)) {
        return 0;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const byte *p = PyUnicode_1BYTE_DATA(text);
    if ((n != 20 || p[19] != 'Z') &&
        (n != 25 || (p[19] != '+' && p[19] != '-') || p[22] != ':')) {
        return 0;
    }
    if (p[4] != '-' || p[7] != '-' || p[10] != 'T' || p[13] != ':' || p[16] != ':') {
        return 0;
    }
    long year = number_at(p, 4), month = number_at(p + 5, 2);
    long day = number_at(p + 8, 2), hour = number_at(p + 11, 2);
    long minute = number_at(p + 14, 2), second = number_at(p + 17, 2);
    long offset = 0;
    if (n == 25) {
        long hours = number_at(p + 20, 2), minutes = number_at(p + 23, 2);
        if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
            return 0;
        }
        offset = (p[19] == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
    }
    /* Years at the ends of datetime's range are left to Python, whose sums
     * with an offset could leave it. */
    if (year < 2 || year > 9998 || month < 1 || month > 12 || day < 1 ||
        day > days_in_month(year, month) || hour < 0 || hour > 23 ||
        minute < 0 || minute > 59 || second < 0 || second > 59) {
        return 0;
    }
    *ok = 1;
    return days_from_civil(year, month, day) * 86400 + hour * 3600 +
           minute * 60 + second - offset;
}

PyDoc_STRVAR(plain_timeline_doc,
"plain_timeline(timeline, /)\n--\n\n"
"Whether every `at` of the mappings in the list `timeline` is a timestamp\n"
"of a common shape that exists, none before the one above it: then\n"
"`pmctl.checks.rules._timeline_problems` finds nothing. False says only\n"
"that the Python rules must look.");

static PyObject *
plain_timeline(PyObject *module, PyObject *timeline)
{
    if (!PyList_Check(timeline)) {
        PyErr_SetString(PyExc_TypeError, "plain_timeline(timeline: list)");
        return NULL;
    }
    static PyObject *at_key = NULL;
    if (at_key == NULL && (at_key = PyUnicode_InternFromString("at")) == NULL) {
        return NULL;
    }
    long long previous = 0;
    int seen = 0;
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(timeline); k++) {
        PyObject *entry = PyList_GET_ITEM(timeline, k);
        if (!PyDict_Check(entry)) {
            continue;
        }
        PyObject *at = PyDict_GetItemWithError(entry, at_key);
        if (at == NULL) {
            if (PyErr_Occurred()) {
                return NULL;
            }
            continue;
        }
        int ok;
        long long moment = plain_moment(at, &ok);
        if (!ok || (seen && moment < previous)) {
            Py_RETURN_FALSE;
        }
        previous = moment;
        seen = 1;
    }
    Py_RETURN_TRUE;
}

/* `pmctl.lint.rules._FOLD` as small numbers: 0 for every byte the fold
 * makes a space, and one number per other folded byte (a letter and its
 * capital share one). The trie's rows are then ALPHABET wide, not 256:
 * small enough to stay in the processor's first cache. */
enum { ALPHABET = 1 + 26 + 10 + 2 };
static byte SYMBOL[256];

static void
init_symbols(void)
{
    for (int b = 0; b < 256; b++) {
        int lower = b >= 'A' && b <= 'Z' ? b + 32 : b;
        SYMBOL[b] = lower >= 'a' && lower <= 'z'   ? (byte)(1 + lower - 'a')
                    : lower >= '0' && lower <= '9' ? (byte)(27 + lower - '0')
                    : lower == '_'                 ? 37
                    : lower == '-'                 ? 38
                                                   : 0;
    }
}

/* The prefixes as a trie over folded bytes, built for the last tuple of
 * them asked about and kept (with a reference, so that no other tuple can
 * take its address) while later calls pass the same one: a rule set's. */
typedef struct {
    PyObject *prefixes;
    Py_ssize_t nodes, allocated;
    /* child[node * ALPHABET + symbol]: the next node, or 0 for none (node 0
     * is the root, never a child); symbol 0 stands for a run of spaces. */
    int *child;
    byte *ends;
} trie;

static trie TRIE;

static int
trie_node(trie *t)
{
    if (t->nodes == t->allocated) {
        Py_ssize_t size = t->allocated ? 2 * t->allocated : 64;
        int *child = PyMem_Realloc(t->child, size * ALPHABET * sizeof(int));
        if (child == NULL) {
            return -1;
        }
        t->child = child;
        byte *ends = PyMem_Realloc(t->ends, size);
        if (ends == NULL) {
            return -1;
        }
        t->ends = ends;
        t->allocated = size;
    }
    memset(t->child + t->nodes * ALPHABET, 0, ALPHABET * sizeof(int));
    t->ends[t->nodes] = 0;
    return (int)t->nodes++;
}

static int
trie_build(trie *t, PyObject *prefixes)
{
    Py_CLEAR(t->prefixes);
    t->nodes = 0;
    if (trie_node(t) < 0) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(prefixes); k++) {
        PyObject *prefix = PyTuple_GET_ITEM(prefixes, k);
        if (!PyBytes_Check(prefix) || PyBytes_GET_SIZE(prefix) == 0) {
            PyErr_SetString(PyExc_TypeError,
                            "phrase_starts: prefixes must be bytes, not empty");
            return -1;
        }
        const byte *p = (const byte *)PyBytes_AS_STRING(prefix);
        int node = 0;
        for (Py_ssize_t i = 0; i < PyBytes_GET_SIZE(prefix); i++) {
            int *slot = &t->child[node * ALPHABET + SYMBOL[p[i]]];
            if (*slot == 0) {
                int made = trie_node(t);
                if (made < 0) {
                    PyErr_NoMemory();
                    return -1;
                }
                /* trie_node may have moved the table. */
                slot = &t->child[node * ALPHABET + SYMBOL[p[i]]];
                *slot = made;
            }
            node = *slot;
        }
        t->ends[node] = 1;
    }
    Py_INCREF(prefixes);
    t->prefixes = prefixes;
    return 0;
}

/* Whether a prefix matches the folded text from `at`, whose first symbol
 * leads from the root to `node`. */
static int
trie_match(const trie *t, const byte *s, Py_ssize_t n, Py_ssize_t at, int node)
{
    Py_ssize_t i = at + 1;
    while (!t->ends[node]) {
        if (i >= n) {
            return 0;
        }
        byte symbol = SYMBOL[s[i++]];
        if (symbol == 0) {
            while (i < n && SYMBOL[s[i]] == 0) {
                i++;
            }
        }
        node = t->child[node * ALPHABET + symbol];
        if (node == 0) {
            return 0;
        }
    }
    return 1;
}

PyDoc_STRVAR(phrase_starts_doc,
"phrase_starts(raw, prefixes, /)\n--\n\n"
"`pmctl.lint.rules._scan(scanner, raw)` for the scanner built from\n"
"`prefixes`.");

static PyObject *
phrase_starts(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyBytes_Check(args[0]) || !PyTuple_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError,
                        "phrase_starts(raw: bytes, prefixes: tuple)");
        return NULL;
    }
    if (args[1] != TRIE.prefixes && trie_build(&TRIE, args[1]) < 0) {
        return NULL;
    }

    const byte *s = (const byte *)PyBytes_AS_STRING(args[0]);
    Py_ssize_t n = PyBytes_GET_SIZE(args[0]);
    PyObject *starts = PyList_New(0);
    /* A phrase starts after a space; the space's offset is the answer. */
    const int *root = TRIE.child;
    for (Py_ssize_t at = 0; starts != NULL && at + 1 < n; at++) {
        byte next = SYMBOL[s[at + 1]];
        int first = SYMBOL[s[at]] == 0 && next != 0 ? root[next] : 0;
        if (first != 0 && trie_match(&TRIE, s, n, at + 1, first)) {
            PyObject *start = PyLong_FromSsize_t(at);
            if (start == NULL || PyList_Append(starts, start) < 0) {
                Py_CLEAR(starts);
            }
            Py_XDECREF(start);
        }
    }
    return starts;
}

static PyMethodDef methods[] = {
    {"risky", (PyCFunction)(void (*)(void))risky, METH_FASTCALL, risky_doc},
    {"not_text", (PyCFunction)(void (*)(void))not_text, METH_FASTCALL,
     not_text_doc},
    {"phrase_starts", (PyCFunction)(void (*)(void))phrase_starts, METH_FASTCALL,
     phrase_starts_doc},
    {"json_shape", (PyCFunction)(void (*)(void))json_shape, METH_FASTCALL,
     json_shape_doc},
    {"key_count", (PyCFunction)key_count, METH_O, key_count_doc},
    {"plain_timeline", (PyCFunction)plain_timeline, METH_O, plain_timeline_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "pmctl._speedups",
    "The scans validate runs over every record's text or data, in C.",
    -1,
    methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    init_sets();
    init_symbols();
    return PyModule_Create(&module);
}
