# Sourced by the Linux tests that attach gdb-multiarch: `gdb_boot OUT LIMIT
# STEPVISOR RUN-ARGS...` starts `STEPVISOR run --gdb 0 --wait-gdb RUN-ARGS`
# in the background (stderr in OUT/stepvisor.err, killed after LIMIT
# seconds) and sets $sv to its pid and $port to the port its stub listens
# on; it exits the test when the stub does not come up. `gdb_expect OUT
# WANT...` then checks that gdb's output (OUT/gdb) holds every WANT, and
# otherwise names what is missing, prints both outputs and fails the test.
gdb_boot() {
    _out=$1 _limit=$2 _stepvisor=$3
    shift 3
    timeout -k 5 "$_limit" "$_stepvisor" run --gdb 0 --wait-gdb "$@" \
        2>"$_out/stepvisor.err" </dev/null &
    sv=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -n 's/^gdb: listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$_out/stepvisor.err")
        [ -n "$port" ] && return 0
        sleep 0.1
    done
    echo "stepvisor did not listen:"
    cat "$_out/stepvisor.err"
    exit 1
}

gdb_expect() {
    _out=$1 _fail=0
    shift
    for _want in "$@"; do
        grep -qF "$_want" "$_out/gdb" || { echo "missing in gdb's output: $_want"; _fail=1; }
    done
    [ $_fail -eq 0 ] && return 0
    echo "--- gdb ---"; cat "$_out/gdb"
    echo "--- stepvisor stderr ---"; cat "$_out/stepvisor.err"
    exit 1
}
