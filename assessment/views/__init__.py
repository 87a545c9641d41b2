"""Thin views of the assessment, one module per concern.

- ``wizard``: the start page, the steps, review and submit;
- ``organisations``: a new organisation from the wizard, beginning an assessment;
- ``results``: results, PDF report, answer downloads, delete;
- ``province``: the province dashboard and open data.
"""
