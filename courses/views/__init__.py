"""Views of the courses app: online courses (online.py), employers (employer.py) and the
operators' screens for employer requests (staff.py)."""
