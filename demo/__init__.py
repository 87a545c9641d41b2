"""All demo content: data files under data/ and the code that loads them.

Nothing but this app's seed_demo command and the tests import it (an
import-linter contract says so): runtime apps never depend on demo content.
"""
