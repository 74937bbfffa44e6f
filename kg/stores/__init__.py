"""Storage: the two ports (:mod:`kg.stores.ports`) and their adapters."""
