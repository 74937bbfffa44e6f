"""Information extraction: entities, mentions and roles (spaCy plus gazetteers), and actions."""
