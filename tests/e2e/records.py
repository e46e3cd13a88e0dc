"""Records and rows the end-to-end tests share."""
import json
import os

# A private NRC coin-cell test (TOML, as `bhub create cell-test --file` takes it).
CELL_TEST_TOML = """
display_name = "coin cell at 45 degC"
[cell]
form_factor = "FORM_FACTOR_COIN"
chemistry = "NMC811/graphite"
nominal_capacity = { value = 4.2, unit = "mAh" }
[protocol]
temperature = { value = 318.15, unit = "K" }
charge_c_rate = 0.5
discharge_c_rate = 1.0
upper_voltage_limit = { value = 4200, unit = "mV" }
[access]
visibility = "VISIBILITY_PRIVATE"
"""

# The header of a canonical export (BDF machine names).
HEADER = "test_time_second,voltage_volt,current_ampere\n"


def cycler_rows(count, start=0):
    """Lines of a cycler export, row `start` on: charge and discharge of 15
    rows each, a row every 10 s."""
    rows = []
    for k in range(start, start + count):
        charge = (k % 30) < 15
        rows.append(f"{k * 10},{3.2 + (0.01 if charge else -0.01) * (k % 15):.4f},"
                    f"{0.5 if charge else -0.5}\n")
    return rows


def new_cell_test(case, bhub, folder, test_id):
    """Creates NRC's cell test `test_id` (CELL_TEST_TOML, written into
    `folder`) through `bhub(*args)` and returns its name."""
    path = os.path.join(folder, test_id + ".toml")
    with open(path, "w") as f:
        f.write(CELL_TEST_TOML)
    made = bhub("create", "cell-test", "--institution", "nrc", "--id", test_id, "--file", path)
    case.assertEqual(made.returncode, 0, made.stderr)
    return "institutions/nrc/cellTests/" + test_id


def row_count(case, bhub, test):
    """The rows of `test`'s series, as `bhub get` shows them."""
    got = bhub("--output", "json", "get", test)
    case.assertEqual(got.returncode, 0, got.stderr)
    return int(json.loads(got.stdout).get("series", {}).get("rowCount", 0))
