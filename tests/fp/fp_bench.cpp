// The measurement behind docs/fp.md's decision: soft:: (integer arithmetic)
// against the public entry points (host SSE fast path, soft:: otherwise),
// with the bare host instruction as a floor. Each iteration runs one
// operation over 1024 operand sets of a mix:
//   normal - finite normal values of moderate magnitude (a typical
//            numeric loop);
//   mixed  - the same with 1 in 8 operands a zero, infinity, NaN or
//            denormal, and 1 in 8 results near the underflow threshold.
// Run: build/tests/fp/fp_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <bit>
#include <cmath>
#include <random>
#include <vector>

#include "cpu/fp/fp.h"
#include "cpu/fp/fp_arith.h"

namespace cpu::fp {
namespace {

enum class Mix { Normal, Mixed };
enum class Impl { Soft, Hybrid, Host };

template <class H> struct Operands {
    std::vector<H> a, b, c;
};

template <class H> Operands<H> make(Mix mix) {
    std::mt19937_64 r(42);
    std::uniform_real_distribution<H> u(-1000, 1000);
    const H specials[] = {0, -0.0, INFINITY, -INFINITY, NAN, std::numeric_limits<H>::denorm_min(),
                          std::numeric_limits<H>::min() / 3, std::numeric_limits<H>::min()};
    Operands<H> o;
    for (int i = 0; i < 1024; ++i) {
        H x = u(r), y = u(r), z = u(r);
        if (y == 0) y = 1;
        if (mix == Mix::Mixed && i % 8 == 3) x = specials[r() % std::size(specials)];
        if (mix == Mix::Mixed && i % 8 == 5) x = std::numeric_limits<H>::min() * H(1.5), y = H(0.7);
        o.a.push_back(x), o.b.push_back(std::fabs(y)), o.c.push_back(z);
    }
    return o;
}

template <class H> H native(host::Op op, H a, H b, H c) {
    switch (op) {
    case host::Op::Add: return a + b;
    case host::Op::Sub: return a - b;
    case host::Op::Mul: return a * b;
    case host::Op::Div: return a / b;
    case host::Op::Sqrt: return std::sqrt(b);
    case host::Op::MulAdd: return std::fma(a, b, c);
    }
    return 0;
}

template <class T> T library(Impl impl, host::Op op, T a, T b, T c, uint32_t& fpsr) {
    const bool soft_only = impl == Impl::Soft;
    switch (op) {
    case host::Op::Add: return soft_only ? soft::FPAdd(a, b, 0, fpsr) : FPAdd(a, b, 0, fpsr);
    case host::Op::Sub: return soft_only ? soft::FPSub(a, b, 0, fpsr) : FPSub(a, b, 0, fpsr);
    case host::Op::Mul: return soft_only ? soft::FPMul(a, b, 0, fpsr) : FPMul(a, b, 0, fpsr);
    case host::Op::Div: return soft_only ? soft::FPDiv(a, b, 0, fpsr) : FPDiv(a, b, 0, fpsr);
    case host::Op::Sqrt: return soft_only ? soft::FPSqrt(b, 0, fpsr) : FPSqrt(b, 0, fpsr);
    case host::Op::MulAdd: return soft_only ? soft::FPMulAdd(c, a, b, 0, fpsr) : FPMulAdd(c, a, b, 0, fpsr);
    }
    return 0;
}

template <class H> void run(benchmark::State& state, Impl impl, host::Op op, Mix mix) {
    using T = std::conditional_t<sizeof(H) == 4, uint32_t, uint64_t>;
    const Operands<H> o = make<H>(mix);
    for (auto _ : state) {
        uint32_t fpsr = 0;
        for (size_t i = 0; i < o.a.size(); ++i) {
            if (impl == Impl::Host) {
                H r = native(op, o.a[i], o.b[i], o.c[i]);
                benchmark::DoNotOptimize(r);
            } else {
                T r = library<T>(impl, op, std::bit_cast<T>(o.a[i]), std::bit_cast<T>(o.b[i]),
                                 std::bit_cast<T>(o.c[i]), fpsr);
                benchmark::DoNotOptimize(r);
            }
        }
        benchmark::DoNotOptimize(fpsr);
    }
    state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(o.a.size()));
}

void register_all() {
    const std::pair<const char*, host::Op> ops[] = {{"add", host::Op::Add}, {"mul", host::Op::Mul},
                                                    {"fma", host::Op::MulAdd}, {"div", host::Op::Div},
                                                    {"sqrt", host::Op::Sqrt}};
    const std::pair<const char*, Impl> impls[] = {{"soft", Impl::Soft}, {"hybrid", Impl::Hybrid}, {"host", Impl::Host}};
    const std::pair<const char*, Mix> mixes[] = {{"normal", Mix::Normal}, {"mixed", Mix::Mixed}};
    for (auto [mname, mix] : mixes)
        for (auto [oname, op] : ops)
            for (auto [iname, impl] : impls) {
                const std::string base = std::string(oname) + "/" + mname + "/" + iname;
                benchmark::RegisterBenchmark(("f32/" + base).c_str(),
                                             [=](benchmark::State& s) { run<float>(s, impl, op, mix); });
                benchmark::RegisterBenchmark(("f64/" + base).c_str(),
                                             [=](benchmark::State& s) { run<double>(s, impl, op, mix); });
            }
}

}  // namespace
}  // namespace cpu::fp

int main(int argc, char** argv) {
    cpu::fp::sample_host_fp_environment();  // as Cpu::run does
    cpu::fp::register_all();
    benchmark::Initialize(&argc, argv);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
