"""Core's use cases (companies, currency rates) and the permissions they and core's reads need."""

from __future__ import annotations

from domain.core.dispatcher import Permission

CORE_READ = Permission("core.read", "Read the company, currencies, rates and units.")
CORE_WRITE = Permission("core.write", "Record currency rates; manage units of measure.")
ADMIN_COMPANIES = Permission("admin.companies", "Create companies.")
JOBS_READ = Permission("jobs.read", "See background job runs: what ran, when, and what it did.")
