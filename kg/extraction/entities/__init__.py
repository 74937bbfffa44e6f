"""Entities: spaCy plus gazetteers and rules, acronyms, roles, and name resolution."""
