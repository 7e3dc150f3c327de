"""Complémentaire santé solidaire (C2S), one module per rule section: ``ceilings`` (C2S-1
amounts, also the AME ceiling), ``eligibility`` (C2S-1, C2S-4), ``participation`` (C2S-2),
``filing`` (C2S-3, C2S-5, C2S-6, C2S-7) and ``item`` (the « droit à vérifier » shown)."""
