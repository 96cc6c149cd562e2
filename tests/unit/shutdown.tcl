# shutdown.tcl: the SHUTDOWN and TIME commands.
#
# SHUTDOWN: option validation (every refused combination leaves the server
# running), ABORT with nothing to abort, and the successful forms: the
# process exits with status 0, the client gets no reply (the connection just
# closes), and the log says the server is ready to exit.
# TIME: two bulk strings, seconds and microseconds, that follow the clock.

# 1 while the process pid exists.
proc pid_alive {pid} {
    expr {![catch {exec kill -0 $pid 2>/dev/null}]}
}

proc wait_for_exit {pid} {
    wait_for_condition 100 50 {![pid_alive $pid]} else {
        fail "server pid $pid did not exit"
    }
}

start_server {tags {"shutdown"}} {

test {SHUTDOWN refuses unknown options and conflicting ones} {
    foreach args {{foo} {save nosave} {nosave save} {now nosave foo} {abort now}
                  {abort nosave} {abort force} {abort save}} {
        assert_error {ERR syntax error} [list r shutdown {*}$args]
    }
    assert_equal PONG [r ping]
    assert {[pid_alive [srv pid]]}
}

test {SHUTDOWN ABORT with no shutdown in progress} {
    assert_error {ERR No shutdown in progress.} {r shutdown abort}
    assert_error {ERR No shutdown in progress.} {r shutdown ABORT}
    assert_equal PONG [r ping]
}

test {SHUTDOWN ABORT cancels a shutdown requested by SIGTERM} {
    # The server is kept busy while the signal arrives; ABORT, sent in the
    # same packet, runs before the cron would act on the signal.
    set rd [redis_deferring_client]
    $rd write "*3\r\n\$5\r\ndebug\r\n\$5\r\nsleep\r\n\$3\r\n0.5\r\n*2\r\n\$8\r\nshutdown\r\n\$5\r\nabort\r\n"
    $rd flush
    after 100
    exec kill -TERM [srv pid]
    assert_equal OK [$rd read]
    assert_equal OK [$rd read]
    $rd close
    after 300
    assert_equal PONG [r ping]
    assert {[pid_alive [srv pid]]}
    wait_for_log_messages 0 {"*Shutdown manually aborted*"} 0 100 20
}

test {SHUTDOWN NOSAVE: the server exits without replying} {
    set pid [srv pid]
    r set foo bar
    set failed [catch {r shutdown nosave} err]
    assert_equal 1 $failed "SHUTDOWN replied: $err"
    wait_for_exit $pid
    wait_for_log_messages 0 {"*ready to exit*"} 0 100 20
}

}

# Every accepted combination shuts the server down.
foreach args {{} {NOSAVE NOW FORCE} {now} {force} {nosave nosave} {Now Force}} {
    start_server {tags {"shutdown"}} {
        test "SHUTDOWN [expr {$args eq {} ? {(no options)} : [string toupper $args]}] exits" {
            set pid [srv pid]
            assert_equal PONG [r ping]
            catch {r shutdown {*}$args}
            wait_for_exit $pid
            wait_for_log_messages 0 {"*ready to exit*"} 0 100 20
        }
    }
}

start_server {tags {"shutdown"}} {

test {TIME returns seconds and microseconds as bulk strings} {
    set t [r time]
    assert_equal 2 [llength $t]
    lassign $t sec usec
    assert {[string is integer -strict $sec] && [string is integer -strict $usec]}
    assert_range $usec 0 999999
    assert_range $sec [expr {[clock seconds] - 5}] [expr {[clock seconds] + 5}]
    r readraw 1
    assert_equal {*2} [r time]
    assert_match {$*} [r read]
    r read
    assert_match {$*} [r read]
    r read
    r readraw 0
}

test {TIME moves forward} {
    lassign [r time] s1 u1
    after 20
    lassign [r time] s2 u2
    set t1 [expr {$s1 * 1000000 + $u1}]
    set t2 [expr {$s2 * 1000000 + $u2}]
    assert_morethan_equal [expr {$t2 - $t1}] 15000
    # Two TIME calls in one pipeline still read the clock each time.
    set rd [redis_deferring_client]
    $rd time
    $rd debug sleep 0.01
    $rd time
    lassign [$rd read] s3 u3
    $rd read
    lassign [$rd read] s4 u4
    $rd close
    assert_morethan_equal [expr {($s4 * 1000000 + $u4) - ($s3 * 1000000 + $u3)}] 9000
}

test {TIME takes no arguments} {
    assert_error {*wrong number of arguments for 'time' command*} {r time now}
}

}
