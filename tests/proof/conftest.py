from tests.livestack import live_tests_first as pytest_collection_modifyitems  # noqa: F401
