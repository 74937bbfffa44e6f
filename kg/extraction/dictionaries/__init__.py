"""PETRARCH2 coding dictionaries: CAMEO verb patterns, actor codes and agent sectors."""
