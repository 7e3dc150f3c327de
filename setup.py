"""Packaging of the folders the project guide keeps at the top of the repository.

``templates/`` (pages) and ``letters/`` (letter templates, CSS, fonts) are not inside the
``cnpe_flow`` package, so a plain ``pip install .`` would leave them out. setuptools' own way
to ship a folder from elsewhere is ``package_dir``: each is declared as a data-only package,
``cnpe_flow._shipped.<name>``, built from the top-level folder, and its files are listed in
``[tool.setuptools.package-data]`` of pyproject.toml with everything else.
``cnpe_flow.paths`` finds them there in an installed wheel and at the top of a checkout.

Everything else about the project is in pyproject.toml.
"""

from setuptools import find_namespace_packages, setup

#: wheel package -> top-level folder of the checkout
SHIPPED = {
    "cnpe_flow._shipped.templates": "templates",
    "cnpe_flow._shipped.letters": "letters",
}

setup(
    packages=[*find_namespace_packages(include=["cnpe_flow*"]), *SHIPPED],
    package_dir=SHIPPED,
)
