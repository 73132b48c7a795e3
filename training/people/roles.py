"""Roles are Django groups; this module names them so code never spells a group name twice."""

EMPLOYEE = "Employee"
MANAGER = "Manager"
HR = "HR"
EDITOR = "Editor"
ALL = (EMPLOYEE, MANAGER, HR, EDITOR)
