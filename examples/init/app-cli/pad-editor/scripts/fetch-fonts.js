// Downloads the web fonts the editor uses.
