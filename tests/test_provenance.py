from agentic_tuning.provenance import cpu_description

CPUINFO = """processor\t: 0
vendor_id\t: AuthenticAMD
model name\t: AMD EPYC 9R45
flags\t\t: fpu sse2 avx avx2 fma avx512f avx512_bf16 avx512_vnni
processor\t: 1
model name\t: AMD EPYC 9R45
flags\t\t: fpu sse2 avx avx2 fma avx512f avx512_bf16 avx512_vnni
"""


def test_cpu_description_names_the_model_and_its_matrix_instruction_sets():
    assert cpu_description(CPUINFO) == {
        "model": "AMD EPYC 9R45",
        "vector_extensions": ["avx2", "avx512_bf16", "avx512_vnni", "avx512f"],
    }


def test_a_cpu_without_avx512_lists_only_what_it_has():
    older = CPUINFO.replace(" avx512f avx512_bf16 avx512_vnni", "")
    assert cpu_description(older)["vector_extensions"] == ["avx2"]


def test_the_running_machine_is_described():
    description = cpu_description()
    assert description["model"] and isinstance(description["vector_extensions"], list)
