"""Views: the three ways to look at the data without opening a spreadsheet.

    tipconv grid INPUT...            a country x year tier grid       (`grid.py`)
    tipconv history COUNTRY INPUT... one country across the years     (`history.py`)
    tipconv diff OLD NEW             what changed between two reports (`diff.py`)

Each module builds a small value from its input and renders it; `sources.py` reads the
inputs (narratives as `convert` takes them, a panel CSV, a tipconv database), `screen.py`
decides between colour and plain text and does all the drawing, `names.py` turns what a
user types into a country. Nothing here imports rich at module level: only drawing in
colour or exporting a picture needs it, and `tipconv parse` never loads this package.

Errors are `tipconv.errors`' own: UsageError (the view cannot run as asked), InputError
(an input cannot be read) and OutputError (an output cannot be written); `cli.py` maps them
to exit codes as it does for every command.
"""
