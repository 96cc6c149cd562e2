# busypoll.tcl: busy-poll-us, the event loop's spin before sleeping.
#
# A loop that is busy (at least half its time on work) polls for up to
# busy-poll-us before it sleeps, so that the next request finds it awake and
# the client's send does not have to wake it (ae.c explains the cost).
# INFO stats busy_poll_hits counts the spins that found an event.  Load comes
# from redis-benchmark (50 connections, no pipelining), which deps/ installs
# with redis-tools; an idle server must not spin at all.

proc busypoll_load {} {
    exec redis-benchmark -h [srv host] -p [srv port] -c 50 -n 60000 -P 1 -q -t ping >/dev/null 2>@1
}

proc busypoll_cpu_ticks {} {
    set stat [::rkv::read_file /proc/[srv pid]/stat]
    set fields [split [string range $stat [expr {[string last ")" $stat] + 2}] end]]
    # utime and stime: fields 14 and 15 of the whole line
    return [expr {[lindex $fields 11] + [lindex $fields 12]}]
}

start_server {tags {busypoll ringkv-only}} {
    if {[auto_execok redis-benchmark] eq ""} {
        test {busy-poll-us: redis-benchmark not installed} { skip "no redis-benchmark" }
    } else {
        test {busy-poll-us: under load the loop finds requests by polling} {
            assert_equal 20 [lindex [r config get busy-poll-us] 1]
            set before [s busy_poll_hits]
            busypoll_load
            assert_morethan [s busy_poll_hits] [expr {$before + 1000}]
        }

        test {busy-poll-us 0: the loop always sleeps} {
            r config set busy-poll-us 0
            set before [s busy_poll_hits]
            busypoll_load
            assert_equal $before [s busy_poll_hits]
            r config set busy-poll-us 20
        }
    }

    test {busy-poll-us: an idle server does not spin} {
        r config set busy-poll-us 1000000
        r ping
        set t0 [busypoll_cpu_ticks]
        after 1000
        # A spinning loop would use ~100 ticks a second; the cron uses ~0.
        assert_lessthan [expr {[busypoll_cpu_ticks] - $t0}] 20
        r config set busy-poll-us 20
    }

    test {busy-poll-us: range} {
        assert_error {*argument must be between 0 and 1000000*} {r config set busy-poll-us -1}
        assert_error {*argument must be between 0 and 1000000*} {r config set busy-poll-us 1000001}
        assert_equal 20 [lindex [r config get busy-poll-us] 1]
    }
}
