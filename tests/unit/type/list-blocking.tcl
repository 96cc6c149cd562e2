# list-blocking.tcl: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP and the generic
# machinery of blocked clients (blocked.c): serving order, timeouts to the
# millisecond, CLIENT UNBLOCK, disconnects, keys that change type or come
# back through RENAME, MOVE or SWAPDB, BLMOVE chains, MULTI, and the pipeline
# of a client resuming after it was unblocked.
#
# Blocked clients are deferring clients; lb_wait_blocked waits until the
# server counts them, so a push is never sent before the pop it should wake.

proc lb_wait_blocked {n} {
    wait_for_condition 200 10 {[s blocked_clients] == $n} else {
        fail "expected $n blocked clients, got [s blocked_clients]"
    }
}

# A deferring client selected on db (the tests below work in db 9).
proc lb_client {{db 9}} {
    set rd [redis_deferring_client]
    $rd select $db
    $rd read
    return $rd
}

proc lb_client_id {rd} {
    $rd client id
    return [$rd read]
}

start_server {tags {list blocking}} {
    r select 9

    test {BLPOP and BRPOP serve at once from a non-empty list} {
        r del l1 l2
        r rpush l2 a b c
        assert_equal {l2 a} [r blpop l1 l2 0]
        assert_equal {l2 c} [r brpop l1 l2 0]
        assert_equal {l2 b} [r blpop l2 l1 1]
        assert_equal 0 [r exists l2]
    }

    test {BLPOP takes the first non-empty key in argument order} {
        r del l1 l2 l3
        r rpush l3 z
        r rpush l2 y
        assert_equal {l2 y} [r blpop l1 l2 l3 0]
        assert_equal {l3 z} [r blpop l1 l2 l3 0]
    }

    test {BLPOP on a wrong-type key replies WRONGTYPE at once} {
        r del l1
        r set str x
        assert_error {WRONGTYPE*} {r blpop l1 str 0}
        assert_error {WRONGTYPE*} {r brpop str 0}
        assert_error {WRONGTYPE*} {r blmove str l1 left left 0}
        assert_error {WRONGTYPE*} {r brpoplpush str l1 0}
        assert_error {WRONGTYPE*} {r blmpop 0 2 l1 str left}
    }

    test {BLPOP blocks until a push, then gets the head} {
        r del l
        set rd [lb_client]
        $rd blpop l 0
        lb_wait_blocked 1
        assert_match {*flags=b*cmd=blpop*} [r client list]
        r lpush l a b c
        assert_equal {l c} [$rd read]
        assert_equal {b a} [r lrange l 0 -1]
        lb_wait_blocked 0
        $rd close
    }

    test {BRPOP blocks until a push, then gets the tail} {
        r del l
        set rd [lb_client]
        $rd brpop l 0
        lb_wait_blocked 1
        r rpush l a b c
        assert_equal {l c} [$rd read]
        assert_equal {a b} [r lrange l 0 -1]
        $rd close
    }

    test {Clients blocked on one key are served in the order they blocked} {
        r del l
        set rd1 [lb_client]
        set rd2 [lb_client]
        set rd3 [lb_client]
        $rd1 blpop l 0
        lb_wait_blocked 1
        $rd2 brpop l 0
        lb_wait_blocked 2
        $rd3 blpop l 0
        lb_wait_blocked 3
        r rpush l 1 2 3 4
        assert_equal {l 1} [$rd1 read]
        assert_equal {l 4} [$rd2 read]
        assert_equal {l 2} [$rd3 read]
        assert_equal {3} [r lrange l 0 -1]
        lb_wait_blocked 0
        $rd1 close
        $rd2 close
        $rd3 close
    }

    test {One element wakes one client; the others keep waiting in order} {
        r del l
        set rd1 [lb_client]
        set rd2 [lb_client]
        $rd1 blpop l 0
        lb_wait_blocked 1
        $rd2 blpop l 0
        lb_wait_blocked 2
        r rpush l a
        assert_equal {l a} [$rd1 read]
        lb_wait_blocked 1
        assert_equal 0 [r exists l]
        r rpush l b
        assert_equal {l b} [$rd2 read]
        lb_wait_blocked 0
        $rd1 close
        $rd2 close
    }

    test {A client blocked on several keys is served by the first that gets data} {
        r del l1 l2 l3
        set rd [lb_client]
        $rd blpop l1 l2 l3 0
        lb_wait_blocked 1
        r rpush l3 x
        assert_equal {l3 x} [$rd read]
        lb_wait_blocked 0
        r rpush l1 y
        assert_equal {y} [r lrange l1 0 -1]
        $rd close
    }

    test {A key named twice blocks the client once} {
        r del l
        set rd [lb_client]
        $rd blpop l l l 0
        lb_wait_blocked 1
        r rpush l a b
        assert_equal {l a} [$rd read]
        lb_wait_blocked 0
        assert_equal {b} [r lrange l 0 -1]
        $rd close
    }

    test {The blocked client is served right after the push, before the pusher's next command} {
        r del l
        set rd [lb_client]
        $rd blpop l 0
        lb_wait_blocked 1
        set pusher [redis_deferring_client]
        $pusher select 9
        $pusher rpush l a
        $pusher lpop l
        assert_equal OK [$pusher read]
        assert_equal 1 [$pusher read]
        assert_equal {} [$pusher read]
        assert_equal {l a} [$rd read]
        $pusher close
        $rd close
    }

    test {A push in another database does not wake the client} {
        r del l
        set rd [lb_client 9]
        $rd blpop l 0
        lb_wait_blocked 1
        r select 10
        r del l
        r rpush l a
        after 50
        assert_equal 1 [s blocked_clients]
        assert_equal {a} [r lrange l 0 -1]
        r del l
        r select 9
        r rpush l b
        assert_equal {l b} [$rd read]
        $rd close
    }

    test {BLPOP times out with a null array after the timeout, to the millisecond} {
        r del l
        set rd [lb_client]
        set start [clock milliseconds]
        $rd blpop l 0.1
        assert_equal {} [$rd read]
        set elapsed [expr {[clock milliseconds] - $start}]
        assert_range $elapsed 95 600
        lb_wait_blocked 0
        $rd close
    }

    test {Timeouts of different clients fire in deadline order} {
        r del l
        set rd1 [lb_client]
        set rd2 [lb_client]
        set start [clock milliseconds]
        $rd1 blpop l 0.3
        $rd2 brpop l 0.05
        assert_equal {} [$rd2 read]
        set t2 [expr {[clock milliseconds] - $start}]
        assert_equal {} [$rd1 read]
        set t1 [expr {[clock milliseconds] - $start}]
        assert_range $t2 45 250
        assert_range $t1 295 900
        $rd1 close
        $rd2 close
    }

    test {Timeout replies are null arrays in RESP2 and null in RESP3} {
        r del l
        set rd [lb_client]
        $rd readraw 1
        $rd blpop l 0.01
        assert_equal {*-1} [$rd read]
        $rd brpoplpush l l2 0.01
        assert_equal {*-1} [$rd read]
        $rd blmove l l2 left left 0.01
        assert_equal {*-1} [$rd read]
        $rd blmpop 0.01 1 l left
        assert_equal {*-1} [$rd read]
        $rd close
        set rd [lb_client]
        $rd hello 3
        $rd read
        $rd readraw 1
        $rd brpop l 0.01
        assert_equal {_} [$rd read]
        $rd blmove l l2 left left 0.01
        assert_equal {_} [$rd read]
        $rd close
    }

    test {Timeout argument errors} {
        assert_error {ERR timeout is not a float or out of range} {r blpop l abc}
        assert_error {ERR timeout is not a float or out of range} {r blpop l ""}
        assert_error {ERR timeout is not a float or out of range} {r blpop l " 1"}
        assert_error {ERR timeout is not a float or out of range} {r blpop l "1 "}
        assert_error {ERR timeout is not a float or out of range} {r blpop l nan}
        assert_error {ERR timeout is negative} {r blpop l -1}
        assert_error {ERR timeout is negative} {r brpop l -0.5}
        assert_error {ERR timeout is negative} {r blpop l -inf}
        # Too large for milliseconds in a 64-bit integer: Redis 7.0 calls
        # that negative.
        assert_error {ERR timeout is negative} {r blpop l inf}
        assert_error {ERR timeout is negative} {r blpop l 1e20}
        assert_error {ERR timeout is not a float or out of range} {r blmove a b left left x}
        assert_error {ERR timeout is not a float or out of range} {r brpoplpush a b x}
        assert_error {ERR timeout is not a float or out of range} {r blmpop x 1 a left}
    }

    test {Fractional and exponent timeouts are accepted} {
        r del l
        assert_equal {} [r blpop l 0.001]
        assert_equal {} [r blpop l 1e-2]
        assert_equal {} [r brpop l 0x0.1p-4]
    }

    test {Timeouts round up to the millisecond; a tiny negative one means forever} {
        r del l
        assert_equal {} [r blpop l 0.0001]
        assert_equal {} [r blpop l 0.0000000001]
        set rd [lb_client]
        $rd blpop l -0.0001
        lb_wait_blocked 1
        after 100
        assert_equal 1 [s blocked_clients]
        r rpush l a
        assert_equal {l a} [$rd read]
        $rd close
    }

    test {BLPOP with timeout 0 stays blocked} {
        r del l
        set rd [lb_client]
        $rd blpop l 0
        lb_wait_blocked 1
        after 200
        assert_equal 1 [s blocked_clients]
        r rpush l x
        assert_equal {l x} [$rd read]
        $rd close
    }

    test {A client that disconnects while blocked is forgotten} {
        r del l
        set rd [lb_client]
        $rd blpop l 0
        lb_wait_blocked 1
        $rd close
        lb_wait_blocked 0
        r rpush l a
        assert_equal {a} [r lrange l 0 -1]
    }

    test {CLIENT KILL of a blocked client: a later push stays in the list} {
        r del l
        set rd [lb_client]
        set id [lb_client_id $rd]
        $rd blpop l 0
        lb_wait_blocked 1
        assert_equal 1 [r client kill id $id]
        lb_wait_blocked 0
        r rpush l a
        assert_equal {a} [r lrange l 0 -1]
        $rd close
    }

    test {FLUSHALL leaves blocked clients waiting} {
        r del l
        set rd [lb_client]
        $rd blpop l 0
        lb_wait_blocked 1
        r flushall
        after 50
        assert_equal 1 [s blocked_clients]
        r rpush l a
        assert_equal {l a} [$rd read]
        $rd close
    }

    test {A disconnected client with a timeout leaves no timer behind} {
        r del l
        set rd [lb_client]
        $rd blpop l 0.2
        lb_wait_blocked 1
        $rd close
        lb_wait_blocked 0
        after 300
        assert_equal PONG [r ping]
    }

    test {CLIENT UNBLOCK TIMEOUT answers like a timeout} {
        r del l
        set rd [lb_client]
        set id [lb_client_id $rd]
        $rd blpop l 0
        lb_wait_blocked 1
        assert_equal 1 [r client unblock $id]
        assert_equal {} [$rd read]
        lb_wait_blocked 0
        assert_equal 0 [r client unblock $id timeout]
        $rd close
    }

    test {CLIENT UNBLOCK ERROR answers -UNBLOCKED} {
        r del l
        set rd [lb_client]
        set id [lb_client_id $rd]
        $rd brpoplpush l l2 0
        lb_wait_blocked 1
        assert_equal 1 [r client unblock $id ERROR]
        assert_error {UNBLOCKED client unblocked via CLIENT UNBLOCK} {$rd read}
        lb_wait_blocked 0
        $rd close
    }

    test {CLIENT UNBLOCK argument errors and clients that are not blocked} {
        assert_equal 0 [r client unblock 999999]
        assert_equal 0 [r client unblock [r client id]]
        assert_error {ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR} {r client unblock 999999 foo}
        assert_error {ERR value is not an integer or out of range} {r client unblock abc}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'unblock'. Try CLIENT HELP.} {r client unblock 1 timeout x}
    }

    test {An unblocked client runs the commands it pipelined while blocked} {
        r del l
        set rd [lb_client]
        set id [lb_client_id $rd]
        $rd blpop l 0
        $rd ping
        $rd rpush mine 1
        lb_wait_blocked 1
        assert_equal 1 [r client unblock $id]
        assert_equal {} [$rd read]
        assert_equal PONG [$rd read]
        assert_equal 1 [$rd read]
        $rd blpop l 0
        $rd lrange mine 0 -1
        lb_wait_blocked 1
        r rpush l a
        assert_equal {l a} [$rd read]
        assert_equal {1} [$rd read]
        $rd close
    }

    test {A client keeps waiting when its key becomes a string or a sorted set} {
        r del l
        set rd [lb_client]
        $rd blpop l 0
        lb_wait_blocked 1
        r set l foo
        after 50
        assert_equal 1 [s blocked_clients]
        r del l
        r zadd l 1 m
        after 50
        assert_equal 1 [s blocked_clients]
        r del l
        r rpush l v
        assert_equal {l v} [$rd read]
        $rd close
    }

    test {A list pushed and emptied within one transaction wakes nobody} {
        r del l
        set rd [lb_client]
        $rd blpop l 0
        lb_wait_blocked 1
        r multi
        r rpush l a
        r del l
        r exec
        after 50
        assert_equal 1 [s blocked_clients]
        r multi
        r rpush l a b
        r lpop l
        r exec
        assert_equal {l b} [$rd read]
        $rd close
    } {needs:multi}

    test {Blocking commands inside MULTI answer at once} {
        r del l
        r multi
        r blpop l 0
        r brpop l 0
        r blmpop 0 1 l left
        r blmove l l2 left left 0
        r brpoplpush l l2 0
        assert_equal {{} {} {} {} {}} [r exec]
        r readraw 1
        assert_equal {+OK} [r multi]
        assert_equal {+QUEUED} [r blmove l l2 left left 0]
        assert_equal {+QUEUED} [r blpop l 0]
        assert_equal {*2} [r exec]
        assert_equal {$-1} [r read]
        assert_equal {*-1} [r read]
        r readraw 0
    } {needs:multi}

    test {RENAME onto a waited key serves the client} {
        r del l tmp
        set rd [lb_client]
        $rd blpop l 0
        lb_wait_blocked 1
        r rpush tmp a b
        r rename tmp l
        assert_equal {l a} [$rd read]
        assert_equal {b} [r lrange l 0 -1]
        $rd close
    }

    test {MOVE into the waited database serves the client} {
        r del l
        set rd [lb_client 9]
        $rd blpop l 0
        lb_wait_blocked 1
        r select 10
        r del l
        r rpush l a
        assert_equal 1 [r move l 9]
        r select 9
        assert_equal {l a} [$rd read]
        assert_equal 0 [r exists l]
        $rd close
    }

    test {SWAPDB serves clients whose key appears in their database} {
        r select 10
        r del l
        r select 9
        r del l
        set rd [lb_client 9]
        $rd blpop l 0
        lb_wait_blocked 1
        r select 10
        r rpush l v
        r swapdb 9 10
        assert_equal {l v} [$rd read]
        r select 9
        assert_equal 0 [r exists l]
        r select 10
        assert_equal 0 [r exists l]
        r select 9
        $rd close
    }

    test {BLMOVE blocks, then moves in each direction} {
        foreach {from to pushed expect_dst} {
            left left {a b} {a x}
            left right {a b} {x a}
            right left {a b} {b x}
            right right {a b} {x b}
        } {
            r del src dst
            r rpush dst x
            set rd [lb_client]
            $rd blmove src dst $from $to 0
            lb_wait_blocked 1
            r rpush src {*}$pushed
            set got [$rd read]
            assert_equal [expr {$from eq "left" ? "a" : "b"}] $got
            assert_equal $expect_dst [r lrange dst 0 -1]
            $rd close
        }
    }

    test {BRPOPLPUSH blocks, then moves tail to head} {
        r del src dst
        set rd [lb_client]
        $rd brpoplpush src dst 0
        lb_wait_blocked 1
        r rpush src a b
        assert_equal b [$rd read]
        assert_equal {a} [r lrange src 0 -1]
        assert_equal {b} [r lrange dst 0 -1]
        $rd close
    }

    test {BLMOVE chain: one push wakes a client whose move wakes the next} {
        r del a b c
        set rd1 [lb_client]
        set rd2 [lb_client]
        $rd1 blmove a b left left 0
        lb_wait_blocked 1
        $rd2 blmove b c left left 0
        lb_wait_blocked 2
        r rpush a v
        assert_equal v [$rd1 read]
        assert_equal v [$rd2 read]
        assert_equal 0 [r exists a]
        assert_equal 0 [r exists b]
        assert_equal {v} [r lrange c 0 -1]
        $rd1 close
        $rd2 close
    }

    test {BRPOPLPUSH circular chain ends with the element back home} {
        r del a b
        set rd1 [lb_client]
        set rd2 [lb_client]
        $rd1 brpoplpush a b 0
        lb_wait_blocked 1
        $rd2 brpoplpush b a 0
        lb_wait_blocked 2
        r rpush a x
        assert_equal x [$rd1 read]
        assert_equal x [$rd2 read]
        assert_equal {x} [r lrange a 0 -1]
        assert_equal 0 [r exists b]
        $rd1 close
        $rd2 close
    }

    test {A BLMOVE chain serves a BLPOP waiting on the destination} {
        r del src dst
        set rd1 [lb_client]
        set rd2 [lb_client]
        $rd1 blmove src dst right left 0
        lb_wait_blocked 1
        $rd2 blpop dst 0
        lb_wait_blocked 2
        r rpush src 1 2
        assert_equal 2 [$rd1 read]
        assert_equal {dst 2} [$rd2 read]
        assert_equal {1} [r lrange src 0 -1]
        assert_equal 0 [r exists dst]
        $rd1 close
        $rd2 close
    }

    test {BLMOVE to a destination that became a string replies WRONGTYPE} {
        r del src dst
        set rd [lb_client]
        $rd blmove src dst left left 0
        lb_wait_blocked 1
        r set dst foo
        r rpush src x
        assert_error {WRONGTYPE*} {$rd read}
        lb_wait_blocked 0
        assert_equal {x} [r lrange src 0 -1]
        assert_equal foo [r get dst]
        $rd close
    }

    test {BLMOVE onto its own source when served} {
        r del l
        set rd [lb_client]
        $rd blmove l l left right 0
        lb_wait_blocked 1
        r rpush l a b
        assert_equal a [$rd read]
        assert_equal {b a} [r lrange l 0 -1]
        $rd close
    }

    test {BLMPOP serves at once with COUNT and from either end} {
        r del l1 l2
        r rpush l2 a b c d
        assert_equal {l2 {a b}} [r blmpop 0 2 l1 l2 left count 2]
        assert_equal {l2 d} [r blmpop 0 2 l1 l2 right]
        assert_equal {l2 c} [r blmpop 0 2 l1 l2 right count 10]
        assert_equal 0 [r exists l2]
    }

    test {BLMPOP blocks, then pops up to COUNT from the key that got data} {
        r del l1 l2
        set rd [lb_client]
        $rd blmpop 0 2 l1 l2 right count 3
        lb_wait_blocked 1
        r rpush l2 a b c d e
        assert_equal {l2 {e d c}} [$rd read]
        assert_equal {a b} [r lrange l2 0 -1]
        $rd close
    }

    test {BLMPOP served by a key later in the list ignores an earlier wrong-type key} {
        r del l1 l2
        set rd [lb_client]
        $rd blmpop 0 2 l1 l2 left
        lb_wait_blocked 1
        r set l1 str
        r rpush l2 a
        assert_equal {l2 a} [$rd read]
        $rd close
    }

    test {BLMPOP argument errors} {
        assert_error {ERR numkeys should be greater than 0} {r blmpop 0 0 l left}
        assert_error {ERR numkeys should be greater than 0} {r blmpop x 0 l left}
        assert_error {ERR syntax error} {r blmpop 0 3 l left}
        assert_error {ERR syntax error} {r blmpop 0 1 l up}
        assert_error {ERR count should be greater than 0} {r blmpop 0 1 l left count 0}
        assert_error {ERR syntax error} {r blmpop 0 1 l left count 1 count 1}
        assert_error {ERR timeout is negative} {r blmpop -1 1 l left}
    }

    test {INFO blocked_clients counts the clients waiting on keys} {
        r del l1 l2
        set rd1 [lb_client]
        set rd2 [lb_client]
        $rd1 blpop l1 0
        $rd2 blmpop 0 1 l2 left
        lb_wait_blocked 2
        r rpush l1 a
        lb_wait_blocked 1
        r rpush l2 b
        lb_wait_blocked 0
        assert_equal {l1 a} [$rd1 read]
        assert_equal {l2 b} [$rd2 read]
        $rd1 close
        $rd2 close
    }

    test {Many clients blocked on many keys are all served} {
        set clients {}
        for {set i 0} {$i < 20} {incr i} {
            r del k$i
            set rd [lb_client]
            $rd blpop k$i k[expr {($i + 1) % 20}] 0
            lappend clients $rd
        }
        lb_wait_blocked 20
        for {set i 0} {$i < 20} {incr i} { r rpush k$i v$i }
        set got {}
        foreach rd $clients { lappend got [$rd read]; $rd close }
        lb_wait_blocked 0
        assert_equal 20 [llength [lsort -unique $got]]
    }
}
