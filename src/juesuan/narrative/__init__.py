"""The 情况说明 narrative: claims extracted from its sentences, linked to table cells, checked."""
