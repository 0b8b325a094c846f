"""What follows an import of the register: the directory search index is rebuilt lazily."""

from filiere.directory.search import directory_changed


def register_imported() -> None:
    directory_changed()
