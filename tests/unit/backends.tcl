# backends.tcl: the same server behaviour on every event-loop backend.
#
# ringkv's event loop has interchangeable readiness backends (epoll, poll,
# select; kqueue on the BSDs), chosen with --event-backend.  A backend that
# loses an event, reorders replies or mishandles many fds shows up as a hang
# or a wrong reply only under load, so each backend the binary accepts gets
# the same small battery on its own server: INFO names the backend, SET/GET,
# a 20,000-command pipeline, 200 concurrent clients, a 10 MB value, and the
# refusal of clients past maxclients.  select() cannot watch fds at or above
# FD_SETSIZE (1024 on glibc), so with select the server must lower
# maxclients below it on its own.
#
# Which backends exist is found by trying: the binary is started with each
# --event-backend in turn (the probe server is bounded by `timeout`, so it
# can never outlive the run).  On Linux, epoll, poll and select must all be
# there.  Against a server without --event-backend (the reference
# redis-server) the battery runs once on its default backend, which checks
# the tests themselves.

set ::backends_bin $::rkv::server_bin
set ::backends_is_ringkv [expr {![catch {exec $::backends_bin --version} v] && [string match *ringkv* $v]}]

# Starts the binary with --event-backend name on a free port and reports
# whether it came up.  The server is stopped before returning.
proc backends_probe {name} {
    set dir [tmpdir probe-$name]
    set port [::rkv::find_free_port]
    set log [file join $dir probe.log]
    set pid [exec timeout -s KILL 20 $::backends_bin --port $port --bind 127.0.0.1 \
        --save "" --appendonly no --dir $dir --event-backend $name >& $log &]
    set up 0
    for {set i 0} {$i < 250} {incr i} {
        if {![::rkv::process_alive $pid]} break
        if {[server_is_up 127.0.0.1 $port 1]} { set up 1; break }
        after 20
    }
    # timeout passes SIGTERM on to the server; then make sure.
    ::rkv::send_signal TERM $pid
    for {set i 0} {$i < 100 && [::rkv::process_alive $pid]} {incr i} { after 20 }
    ::rkv::send_signal KILL $pid
    return $up
}

# One raw protocol round trip of n pipelined commands, read back in order.
proc backends_pipeline {n} {
    set rd [redis_deferring_client]
    set payload ""
    for {set i 0} {$i < $n} {incr i} {
        set v "value:$i"
        append payload "*3\r\n\$3\r\nSET\r\n\$[string length p:$i]\r\np:$i\r\n\$[string length $v]\r\n$v\r\n"
        append payload "*2\r\n\$3\r\nGET\r\n\$[string length p:$i]\r\np:$i\r\n"
        append payload "*2\r\n\$4\r\nINCR\r\n\$8\r\npipe:ctr\r\n"
    }
    $rd write $payload
    $rd flush
    set bad 0
    for {set i 0} {$i < $n} {incr i} {
        if {[$rd read] ne "OK"} { incr bad }
        if {[$rd read] ne "value:$i"} { incr bad }
        if {[$rd read] != $i + 1} { incr bad }
    }
    $rd close
    return $bad
}

# The battery for one server; api is the backend INFO must report ("" when
# the server picked its own).
proc backends_battery {api} {
    test "$api: INFO multiplexing_api names the backend" {
        set got [s multiplexing_api]
        if {$api eq "default"} {
            assert_match {?*} $got
        } else {
            assert_equal $api $got
            assert_equal [list event-backend $api] [r config get event-backend]
        }
    }

    test "$api: SET and GET" {
        r del k
        assert_equal OK [r set k hello]
        assert_equal hello [r get k]
        assert_equal 1 [r del k]
        assert_equal {} [r get k]
    }

    test "$api: a pipeline of 3 x 10000 commands comes back complete and in order" {
        r del pipe:ctr
        assert_equal 0 [backends_pipeline 10000]
        assert_equal 10000 [r get pipe:ctr]
        assert_equal value:9999 [r get p:9999]
    }

    test "$api: 200 concurrent clients" {
        r del conc:ctr
        set base [s connected_clients]
        set clients {}
        for {set i 0} {$i < 200} {incr i} { lappend clients [redis_deferring_client] }
        # Everyone sends before anyone reads: all 200 are live at once.
        foreach c $clients { $c incr conc:ctr }
        set got {}
        foreach c $clients { lappend got [$c read] }
        set want {}
        for {set i 1} {$i <= 200} {incr i} { lappend want $i }
        assert_equal $want [lsort -integer $got]
        assert_morethan_equal [s connected_clients] [expr {$base + 200}]
        set i 0
        foreach c $clients { $c set conc:[incr i] $i }
        foreach c $clients { assert_equal OK [$c read] }
        set i 0
        foreach c $clients { $c get conc:[incr i] }
        set i 0
        foreach c $clients { assert_equal [incr i] [$c read] }
        foreach c $clients { $c close }
        wait_for_condition 100 50 {[s connected_clients] == $base} else {
            fail "connected_clients stayed at [s connected_clients], expected $base"
        }
    }

    test "$api: a 10 MB binary value round trip" {
        set chunk ""
        for {set i 0} {$i < 256} {incr i} { append chunk [format %c $i] }
        set big [string repeat $chunk 40960]
        assert_equal OK [r set bigval $big]
        assert_equal 10485760 [r strlen bigval]
        set got [r get bigval]
        assert {[string length $got] == 10485760}
        assert {$got eq $big} "10 MB value differs"
        assert_equal [string range $big 5000000 5000099] [r getrange bigval 5000000 5000099]
        r del bigval
    }
}

# Clients past --maxclients 20 get the Redis error and are closed; the
# server keeps serving the others and accepts again once they leave.
proc backends_maxclients {api} {
    test "$api: the 21st client is refused with -ERR max number of clients reached" {
        assert_equal PONG [r ping]
        wait_for_condition 100 20 {[s connected_clients] == 1} else {
            fail "connected_clients is [s connected_clients] before the test"
        }
        set clients {}
        set refused ""
        for {set i 0} {$i < 40} {incr i} {
            set c [redis_client]
            if {[catch {$c ping} reply]} {
                set refused $reply
                catch {$c close}
                break
            }
            assert_equal PONG $reply
            lappend clients $c
        }
        assert_equal 19 [llength $clients] "clients accepted next to the default one"
        assert_equal {ERR max number of clients reached} $refused
        # The accepted ones still work.
        foreach c $clients { assert_equal PONG [$c ping] }
        foreach c $clients { $c close }
        wait_for_condition 100 20 {[s connected_clients] == 1} else {
            fail "connected_clients stayed at [s connected_clients]"
        }
        # Room again.
        set c [redis_client]
        assert_equal PONG [$c ping]
        $c close
    }
}

if {$::backends_is_ringkv} {
    set ::backends_available {}
    foreach b {epoll poll select kqueue} {
        if {[backends_probe $b]} { lappend ::backends_available $b }
    }

    tags {backends ringkv-only} {
        test {epoll, poll and select are available on Linux} {
            if {$::tcl_platform(os) ne "Linux"} { skip "not Linux" }
            foreach b {epoll poll select} {
                assert {$b in $::backends_available} "--event-backend $b did not start"
            }
        }

        test {an unknown backend is refused at startup} {
            assert_equal 0 [backends_probe nosuchbackend]
        }
    }

    foreach ::backend $::backends_available {
        start_server [list tags {backends ringkv-only} args [list --event-backend $::backend]] {
            backends_battery $::backend

            if {$::backend eq "select"} {
                test {select: maxclients is lowered below FD_SETSIZE} {
                    # Asked for the default 10000; select can only watch fds < 1024.
                    set max [lindex [r config get maxclients] 1]
                    assert_lessthan $max 1024
                    assert_morethan $max 0
                }
            }
        }

        start_server [list tags {backends ringkv-only} \
                          args [list --event-backend $::backend --maxclients 20]] {
            backends_maxclients $::backend
            test "$::backend: maxclients 20 is kept as asked" {
                assert_equal {maxclients 20} [r config get maxclients]
            }
        }
    }
} else {
    # Reference server: the battery once, on whatever backend it uses.
    start_server {tags {backends}} {
        backends_battery default
    }
    start_server {tags {backends} args {--maxclients 20}} {
        backends_maxclients default
    }
}
