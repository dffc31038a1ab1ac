"""Power and entrustment lists (执法事项权力清单 / 委托事项, DOMAIN.md §3): what each township or park may exercise."""
