# selftest.tcl: tests of the test framework itself.
#
# What it covers: the RESP client (every reply type, readraw, deferred and
# pipelined use, raw writes, timeouts), the assertions and their failure
# messages, tag filtering, and server management (nested servers, restart,
# crash detection). Reply decoding is checked against a fake server that
# sends canned bytes, so every RESP3 type is covered whatever the real server
# implements; the rest runs against the real server and uses only core
# commands, so it passes against redis-server and ringkv alike.

# A one-connection fake server on a random loopback port: every request it
# receives is answered with the next canned reply from `replies`. Returns
# {listener port}.
proc fake_server {replies} {
    set ::fake_replies $replies
    set listener [socket -server fake_server_accept -myaddr 127.0.0.1 0]
    return [list $listener [lindex [fconfigure $listener -sockname] 2]]
}

proc fake_server_accept {sock addr port} {
    fconfigure $sock -translation binary -blocking 0 -buffering none
    fileevent $sock readable [list fake_server_request $sock]
}

proc fake_server_request {sock} {
    # Read first: EOF is only known after a read returns nothing.
    if {[catch {read $sock} data] || [eof $sock]} { close $sock; return }
    if {[llength $::fake_replies] == 0} return ;# stay silent: timeout test
    set ::fake_replies [lassign $::fake_replies reply]
    puts -nonewline $sock $reply
}

tags {selftest} {

test {client decodes RESP2 reply types} {
    lassign [fake_server [list "+OK\r\n" ":42\r\n" "\$5\r\nhello\r\n" "\$-1\r\n" \
        "*3\r\n:1\r\n\$1\r\na\r\n*1\r\n+x\r\n" "*-1\r\n" "\$0\r\n\r\n"]] listener port
    set c [::rkv::client::open 127.0.0.1 $port]
    assert_equal OK [$c cmd]
    assert_equal 42 [$c cmd]
    assert_equal hello [$c cmd]
    assert_equal {} [$c cmd]
    assert_equal {1 a x} [$c cmd]
    assert_equal {} [$c cmd]
    assert_equal {} [$c cmd]
    $c close
    close $listener
}

test {client decodes RESP3 reply types} {
    lassign [fake_server [list \
        "_\r\n" ",3.25\r\n" ",inf\r\n" "#t\r\n" "#f\r\n" "(3492890328409238509324850943850943825024385\r\n" \
        "=15\r\ntxt:Some string\r\n" "%2\r\n+a\r\n:1\r\n+b\r\n*2\r\n:2\r\n:3\r\n" \
        "~2\r\n+x\r\n+y\r\n" ">3\r\n+message\r\n+chan\r\n\$2\r\nhi\r\n" \
        "|1\r\n+ttl\r\n:3600\r\n\$3\r\nval\r\n"]] listener port
    set c [::rkv::client::open 127.0.0.1 $port]
    assert_equal {} [$c cmd]
    assert_equal 3.25 [$c cmd]
    assert_equal inf [$c cmd]
    assert_equal 1 [$c cmd]
    assert_equal 0 [$c cmd]
    assert_equal 3492890328409238509324850943850943825024385 [$c cmd]
    assert_equal {Some string} [$c cmd]
    set map [$c cmd]
    assert_equal 1 [dict get $map a]
    assert_equal {2 3} [dict get $map b]
    assert_equal {x y} [$c cmd]
    assert_equal {message chan hi} [$c cmd]
    assert_equal val [$c cmd]
    assert_equal {ttl 3600} [$c attributes]
    $c close
    close $listener
}

test {client raises errors and stays in sync after nested errors} {
    lassign [fake_server [list "-ERR something bad\r\n" "!21\r\nSYNTAX invalid syntax\r\n" \
        "*3\r\n+OK\r\n-WRONGTYPE Operation\r\n:7\r\n" "+after\r\n"]] listener port
    set c [::rkv::client::open 127.0.0.1 $port]
    assert_error {ERR something bad} {$c cmd}
    catch {$c cmd} e
    assert_equal {SYNTAX invalid syntax} $e
    assert_error {WRONGTYPE*} {$c cmd}
    assert_equal after [$c cmd]
    $c close
    close $listener
}

test {client read times out instead of hanging} {
    lassign [fake_server {}] listener port
    set c [::rkv::client::open 127.0.0.1 $port]
    set saved $::rkv::deadline
    set ::rkv::deadline [expr {[clock milliseconds] + 200}]
    set start [clock milliseconds]
    catch {$c cmd} e
    set ::rkv::deadline $saved
    assert_match {timeout*} $e
    assert_range [expr {[clock milliseconds] - $start}] 100 5000
    $c close
    close $listener
}

test {assertion failures carry message and file:line} {
    catch {assert_equal 1 2} e
    assert_match {*selftest.tcl:*Expected '1' to be equal to '2'*} $e
    catch {assert_match {a*} bcd} e
    assert_match {*Expected 'bcd' to match 'a*'*} $e
    catch {assert_error {*} {set x 1}} e
    assert_match {*Expected an error*} $e
    catch {assert {1 > 2}} e
    assert_match {*Expected \[1 > 2\] to be true*} $e
    catch {assert_equal_lists {a b c} {a x c}} e
    assert_match {*index 1*} $e
    assert_range 5 1 10
    assert_lessthan 1 2
    assert_morethan 2 1
    assert_not_equal a b
    assert_no_match {x*} abc
    assert_equal {a b} [lsort_unique {b a b}]
}

test {wait_for_condition retries and then runs its else branch} {
    set ::wfc_counter 0
    wait_for_condition 50 1 {[incr ::wfc_counter] >= 3} else { fail "never reached 3" }
    assert_equal 3 $::wfc_counter
    catch {wait_for_condition 3 1 {0} else { fail "gave up" }} e
    assert_match {*gave up*} $e
}

test {tag filters accept and reject as documented} {
    set saved [list $::rkv::allow_tags $::rkv::deny_tags]
    set ::rkv::allow_tags {}
    set ::rkv::deny_tags {slow}
    assert_equal 1 [::rkv::tags_acceptable {fast}]
    assert_equal 0 [::rkv::tags_acceptable {fast slow}]
    set ::rkv::allow_tags {fast}
    set ::rkv::deny_tags {}
    assert_equal 1 [::rkv::tags_acceptable {fast other}]
    assert_equal 0 [::rkv::tags_acceptable {other}]
    lassign $saved ::rkv::allow_tags ::rkv::deny_tags
}

test {random helpers respect their bounds} {
    for {set i 0} {$i < 100} {incr i} {
        assert_range [randomInt 10] 0 9
        assert_range [string length [randstring 3 7]] 3 7
    }
    assert_match {key:*} [randomKey]
}

start_server {tags {server}} {
    test {PING answers PONG} {
        assert_equal PONG [r ping]
    }

    test {SET and GET round-trip, missing key is empty} {
        assert_equal OK [r set selftest:k hello]
        assert_equal hello [r get selftest:k]
        assert_equal {} [r get selftest:missing]
        assert_equal 1 [r del selftest:k]
    }

    test {values are binary safe} {
        set bytes ""
        for {set i 0} {$i < 256} {incr i} { append bytes [format %c $i] }
        r set selftest:bin $bytes
        assert_equal $bytes [r get selftest:bin]
        r set selftest:big [string repeat x 100000]
        assert_equal 100000 [string length [r get selftest:big]]
    }

    test {server errors become Tcl errors with the error text} {
        catch {r selftest-no-such-command} e
        assert_match {*ERR unknown command*} $e
        assert_error {*wrong number of arguments*} {r get}
        # The connection is still usable afterwards.
        assert_equal PONG [r ping]
    }

    test {a WRONGTYPE error is a Tcl error too} {
        r set selftest:str abc
        assert_error {WRONGTYPE*} {r lpush selftest:str x}
        assert_equal PONG [r ping]
    } {needs:types}

    test {readraw returns protocol lines} {
        r readraw 1
        assert_equal {+OK} [r set selftest:raw ab]
        assert_equal {$2} [r get selftest:raw]
        assert_equal ab [r read]
        assert_equal {:1} [r exists selftest:raw]
        assert_equal {$-1} [r get selftest:missing]
        assert_match {-ERR*} [r selftest-no-such-command]
        r readraw 0
        assert_equal ab [r get selftest:raw]
    }

    test {arrays come back as lists} {
        r del selftest:list
        r rpush selftest:list a b c
        assert_equal {a b c} [r lrange selftest:list 0 -1]
        assert_equal {} [r lrange selftest:nolist 0 -1]
    } {needs:types}

    test {HELLO 3 switches to RESP3 and maps decode as dicts} {
        set c [redis_client]
        set hello [$c hello 3]
        assert_equal 3 [dict get $hello proto]
        assert_equal 3 [$c protocol]
        $c del selftest:h
        $c hset selftest:h f1 v1 f2 v2
        set h [$c hgetall selftest:h]
        assert_equal v1 [dict get $h f1]
        assert_equal v2 [dict get $h f2]
        assert_equal {} [$c get selftest:missing]
        $c sadd selftest:set m
        assert_equal {m} [$c smembers selftest:set]
        $c hello 2
        assert_equal 2 [$c protocol]
        $c close
    } {needs:types}

    test {r hello 3 on the default client, then back to 2} {
        r hello 3
        r hset selftest:h2 a 1
        assert_equal {a 1} [r hgetall selftest:h2]
        r hello 2
        assert_equal {a 1} [r hgetall selftest:h2]
    } {needs:types}

    test {deferring client waits for a blocking command} {
        r del selftest:blist
        set rd [redis_deferring_client]
        $rd blpop selftest:blist 0
        wait_for_condition 100 10 {
            [string match {*blocked_clients:1*} [r info clients]]
        } else {
            fail "client never blocked"
        }
        r rpush selftest:blist hi
        assert_equal {selftest:blist hi} [$rd read]
        $rd close
    } {needs:types}

    test {pipelining with send and read} {
        set c [redis_client]
        for {set i 0} {$i < 100} {incr i} { $c send set selftest:p$i $i }
        for {set i 0} {$i < 100} {incr i} { assert_equal OK [$c read] }
        assert_equal 99 [$c get selftest:p99]
        $c close
    }

    test {raw writes: a hand-made request and a malformed one} {
        set c [redis_client]
        $c write "*1\r\n\$4\r\nPING\r\n"
        $c flush
        assert_equal PONG [$c read]
        $c write "*1\r\n\$x\r\n"
        $c flush
        catch {$c read} e
        assert_match {*Protocol error*} $e
        $c close
    }

    test {srv exposes host, port, pid and the log path} {
        assert_equal 127.0.0.1 [srv 0 host]
        assert_equal [srv port] [srv 0 port]
        assert {[srv port] != 6379}
        assert {[::rkv::process_alive [srv pid]]}
        assert {[file exists [srv stdout]]}
        assert_equal 1 [server_is_up [srv host] [srv port] 5]
    }

    start_server {tags {nested}} {
        test {nested servers are separate and reachable by level} {
            assert_not_equal [srv 0 port] [srv -1 port]
            r set selftest:where inner
            r -1 set selftest:where outer
            assert_equal inner [r get selftest:where]
            assert_equal outer [r -1 get selftest:where]
            assert_equal outer [[srv -1 client] get selftest:where]
        }
    }

    test {the outer server is current again after the nested block} {
        assert_equal outer [r get selftest:where]
    }

    test {restart_server gives a new process on the same port} {
        set port [srv port]
        set old_pid [srv pid]
        restart_server 0 1 1
        assert_equal $port [srv port]
        assert_not_equal $old_pid [srv pid]
        assert {![::rkv::process_alive $old_pid]}
        assert_equal PONG [r ping]
    }

    start_server {} {
        test {an unexpected server death is reported} {
            set id [::rkv::server_at 0]
            ::rkv::send_signal KILL [srv pid]
            wait_for_condition 100 10 {![::rkv::process_alive [srv pid]]} else {
                fail "server did not die"
            }
            catch {kill_server} e
            assert_match {*exited unexpectedly: killed by SIGKILL*} $e
            # This death was deliberate: do not keep its directory.
            ::rkv::sset $id failed 0
        }
    }

    test {a clean SHUTDOWN is not reported as a crash} {
        start_server {} {
            catch {r shutdown nosave}
            wait_for_condition 200 10 {![::rkv::process_alive [srv pid]]} else {
                fail "server did not shut down"
            }
            assert_equal {} [::rkv::check_servers_alive]
        }
    }
}

}
