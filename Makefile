# The two commands a new user needs: `make run` (demo) and `make test` (whole suite on PostgreSQL).
.PHONY: run test bench lint format migrations clean

run:
	scripts/run-demo.sh

test:
	scripts/test.sh

bench:
	scripts/bootstrap.sh test
	.venv/bin/python bench/run.py

lint:
	scripts/bootstrap.sh test
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format:
	scripts/bootstrap.sh test
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

migrations:
	.venv/bin/python manage.py makemigrations

clean:
	rm -rf var .pytest_cache
