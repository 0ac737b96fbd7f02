"""Reading records: finding files, splitting front matter, parsing YAML."""
