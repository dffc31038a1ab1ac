"""Annual supervision and inspection plans (年度监督检查计划) with double-random draws (双随机)."""
