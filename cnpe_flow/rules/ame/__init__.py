"""Aide médicale de l'État (AME) and soins urgents, one module per rule section:
``eligibility`` (AME-1), ``household`` (AME-10), ``filing`` (AME-3, AME-4), ``rights_start``
(AME-5), ``soins_urgents`` (AME-11) and ``item`` (the « droit à vérifier » shown, with AME-9)."""
