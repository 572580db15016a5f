"""Mystery-shopping store checks (暗访): score visits against a weighted checklist."""

from voiceofcustomer.audit.report import write_audit_report
from voiceofcustomer.audit.scoring import (AuditResult, VETO_MODES, read_checklist, read_visits, score_audit,
                                           weights_from_gap)

__all__ = ["AuditResult", "VETO_MODES", "read_checklist", "read_visits", "score_audit", "weights_from_gap",
           "write_audit_report"]
