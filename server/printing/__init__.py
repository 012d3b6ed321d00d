"""Printing's parts below the order core: label layouts, merged documents, packing slips, the
network printers and each workstation's printing preferences."""
