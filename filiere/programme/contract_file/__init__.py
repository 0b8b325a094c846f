"""A whole contract as a file, YAML or XLSX with the same parts (docs/contract-file.md): its
layout, reading with every problem located (sheet, row and column; or key path and line),
and writing out. The database side is ``programme.contract_import``."""

from filiere.programme.contract_file.layout import (
    PARTS,
    XLSX,
    YAML,
    ContractFile,
    FileProblem,
)
from filiere.programme.contract_file.reading import contract_file_format, contract_file_read
from filiere.programme.contract_file.writing import contract_file_render

__all__ = [
    "PARTS",
    "XLSX",
    "YAML",
    "ContractFile",
    "FileProblem",
    "contract_file_format",
    "contract_file_read",
    "contract_file_render",
]
