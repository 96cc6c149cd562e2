# monitor.tcl: the MONITOR command.
#
# Every test uses two connections: a monitor (a deferring client that sent
# MONITOR) and the default client issuing commands.  A monitor line is read
# as its status text, "<unix time>.<usec> [<db> <addr>] "arg" ...".  To
# check that something is NOT shown, a marker command follows it and must
# be the next line.  Covers the exact line format and quoting, what is left
# out (administrative commands, refused commands, redacted secrets), MULTI
# (queued commands appear at EXEC time), blocking commands (once, when
# called), SELECT, the monitor's own restrictions and commands, MONITOR
# inside MULTI, repeated MONITOR, RESET and QUIT.

proc monitor_client {} {
    set rd [redis_deferring_client]
    $rd monitor
    assert_equal OK [$rd read]
    return $rd
}

# The arguments part of a monitor line (after "] ").
proc monitor_args {line} {
    return [string range $line [expr {[string first "\] " $line] + 2}] end]
}

proc monitor_next_args {rd} {
    return [monitor_args [$rd read]]
}

start_server {tags {monitor}} {
    test {MONITOR shows executed commands, one line each, in order} {
        set rd [monitor_client]
        r set foo bar
        r get foo
        r del foo
        assert_equal {"set" "foo" "bar"} [monitor_next_args $rd]
        assert_equal {"get" "foo"} [monitor_next_args $rd]
        assert_equal {"del" "foo"} [monitor_next_args $rd]
        $rd close
    }

    test {MONITOR line format: time with microseconds, db, client address} {
        set addr ""
        regexp {addr=(\S+)} [r client info] -> addr
        set rd [monitor_client]
        r set foo bar
        set line [$rd read]
        assert_match {[0-9]*.[0-9]* \[0 *\] "set" "foo" "bar"} $line
        assert {[regexp {^(\d+)\.(\d{6}) \[0 (\S+)\] } $line -> secs usecs lineaddr]}
        assert_range $secs [expr {[clock seconds] - 5}] [expr {[clock seconds] + 5}]
        assert_equal $addr $lineaddr
        $rd close
    }

    test {MONITOR quotes and escapes arguments} {
        set rd [monitor_client]
        r set "a b" "c\"d\\e"
        r set bin "\x00\x01\xff\r\n\t\x07\x08z"
        r set empty ""
        assert_equal {"set" "a b" "c\"d\\e"} [monitor_next_args $rd]
        assert_equal {"set" "bin" "\x00\x01\xff\r\n\t\a\bz"} [monitor_next_args $rd]
        assert_equal {"set" "empty" ""} [monitor_next_args $rd]
        $rd close
    }

    test {MONITOR shows the database selected after the command} {
        set rd [monitor_client]
        r select 9
        r set k v
        r select 0
        r ping
        assert_match {* \[9 *\] "select" "9"} [$rd read]
        assert_match {* \[9 *\] "set" "k" "v"} [$rd read]
        assert_match {* \[0 *\] "select" "0"} [$rd read]
        assert_match {* \[0 *\] "ping"} [$rd read]
        $rd close
    }

    test {MONITOR leaves out administrative commands} {
        set rd [monitor_client]
        r config get maxmemory
        r client list
        r slowlog len
        r debug sleep 0
        r latency latest
        r client setname mon-named
        r client info
        r set marker 1
        assert_equal {"client" "setname" "mon-named"} [monitor_next_args $rd]
        assert_equal {"client" "info"} [monitor_next_args $rd]
        assert_equal {"set" "marker" "1"} [monitor_next_args $rd]
        r client setname ""
        $rd close
    }

    test {MONITOR leaves out commands that were refused} {
        set rd [monitor_client]
        catch {r nosuchcommand}
        catch {r get}
        catch {r set a}
        r set marker 2
        assert_equal {"set" "marker" "2"} [monitor_next_args $rd]
        $rd close
    }

    test {MONITOR shows commands that failed while running} {
        set rd [monitor_client]
        r set str x
        catch {r lpush str y}
        assert_equal {"set" "str" "x"} [monitor_next_args $rd]
        assert_equal {"lpush" "str" "y"} [monitor_next_args $rd]
        $rd close
    }

    test {MONITOR redacts credentials of AUTH and HELLO} {
        set rd [monitor_client]
        catch {r auth onlypass}
        catch {r auth user pass}
        r hello 2 auth default whatever setname mon-hello
        assert_equal {"auth" "(redacted)"} [monitor_next_args $rd]
        assert_equal {"auth" "(redacted)" "(redacted)"} [monitor_next_args $rd]
        assert_equal {"hello" "2" "auth" "(redacted)" "(redacted)" "setname" "mon-hello"} [monitor_next_args $rd]
        r client setname ""
        $rd close
    }

    test {MONITOR shows queued commands when EXEC runs them, then EXEC} {
        set rd [monitor_client]
        r multi
        r set x 1
        r incr x
        r exec
        assert_equal {"multi"} [monitor_next_args $rd]
        assert_equal {"set" "x" "1"} [monitor_next_args $rd]
        assert_equal {"incr" "x"} [monitor_next_args $rd]
        assert_equal {"exec"} [monitor_next_args $rd]
        $rd close
    }

    test {MONITOR shows nothing of a discarded transaction but MULTI and DISCARD} {
        set rd [monitor_client]
        r multi
        r set never 1
        r discard
        assert_equal {"multi"} [monitor_next_args $rd]
        assert_equal {"discard"} [monitor_next_args $rd]
        $rd close
    }

    test {MONITOR shows a blocking command once, when it is called} {
        r del mlist
        set rd [monitor_client]
        set blocker [redis_deferring_client]
        $blocker blpop mlist 0
        # CLIENT LIST is an administrative command: the monitor does not see
        # this polling.
        wait_for_condition 50 20 {[regexp {flags=b } [r client list]]} else { fail "client did not block" }
        r lpush mlist v
        assert_equal {mlist v} [$blocker read]
        r set marker 3
        assert_equal {"blpop" "mlist" "0"} [monitor_next_args $rd]
        assert_equal {"lpush" "mlist" "v"} [monitor_next_args $rd]
        assert_equal {"set" "marker" "3"} [monitor_next_args $rd]
        $blocker close
        $rd close
    }

    test {MONITOR is fed to every monitor, including the issuer's own commands} {
        set rd1 [monitor_client]
        set rd2 [monitor_client]
        r set both 1
        assert_equal {"set" "both" "1"} [monitor_next_args $rd1]
        assert_equal {"set" "both" "1"} [monitor_next_args $rd2]
        # A monitor may run commands that do not touch keys; it sees them
        # after their reply.
        $rd1 ping
        assert_equal PONG [$rd1 read]
        assert_equal {"ping"} [monitor_next_args $rd1]
        assert_equal {"ping"} [monitor_next_args $rd2]
        $rd1 close
        $rd2 close
    }

    test {MONITOR clients may not read or write keys} {
        set rd [monitor_client]
        $rd get foo
        assert_error {ERR Replica can't interact with the keyspace} {$rd read}
        $rd set foo bar
        assert_error {ERR Replica can't interact with the keyspace} {$rd read}
        $rd command count
        assert_morethan [$rd read] 100
        assert_equal {"command" "count"} [monitor_next_args $rd]
        $rd close
    }

    test {MONITOR twice is answered once} {
        set rd [monitor_client]
        $rd monitor
        $rd ping
        assert_equal PONG [$rd read]
        assert_equal {"ping"} [monitor_next_args $rd]
        $rd close
    }

    test {MONITOR inside MULTI is refused when EXEC runs it} {
        set c [redis_client]
        $c multi
        assert_equal QUEUED [$c monitor]
        catch {$c exec} res
        assert_match {*MONITOR isn't allowed for DENY BLOCKING client*} $res
        # Still a normal client.
        assert_equal bar [$c echo bar]
        assert_equal 0 [$c exists nosuchkey]
        $c close
    }

    test {RESET ends MONITOR mode} {
        set rd [redis_deferring_client]
        $rd monitor
        $rd reset
        assert_equal OK [$rd read]
        assert_equal RESET [$rd read]
        r set after-reset 1
        $rd set mine 1
        assert_equal OK [$rd read]
        $rd close
    }

    test {QUIT from a monitor closes it, and others see the QUIT} {
        set watcher [monitor_client]
        set rd [monitor_client]
        $rd quit
        assert_equal OK [$rd read]
        assert_equal {"quit"} [monitor_next_args $watcher]
        $rd close
        $watcher close
    }

    test {MONITOR client shows flag O in CLIENT LIST} {
        set rd [monitor_client]
        wait_for_condition 50 20 {[string match "*flags=O *cmd=monitor*" [r client list]]} else {
            fail "no monitor in CLIENT LIST: [r client list]"
        }
        $rd close
    }

    test {MONITOR in RESP3 still gets status lines} {
        set rd [redis_deferring_client]
        $rd hello 3
        $rd read
        $rd monitor
        assert_equal OK [$rd read]
        r set r3 1
        assert_equal {"set" "r3" "1"} [monitor_next_args $rd]
        $rd close
    }
}
