"""zhifa (执法): case-management workflow engine for emergency-management administrative enforcement."""

__version__ = "0.1.0"
