# protocol.tcl: the request protocol as seen on the wire.
#
# Covers inline commands (quoting, bare LF, empty lines), multibulk requests
# split at any byte, pipelining many commands in one write, every
# "Protocol error" reply and the close that follows it, the limits that
# protect the server (proto-max-bulk-len, client-query-buffer-limit, the
# normal class of client-output-buffer-limit, the tight limits for
# connections that have not authenticated), empty requests, and the RESP3
# reply types after HELLO 3.  Everything is sent as raw bytes through
# `$c write`, so these tests do not depend on how the client encodes
# commands.

# Sends raw bytes on a new connection and expects the error reply matching
# pattern, then the server closing the connection.
proc proto_expect_error {bytes pattern} {
    set c [redis_client]
    $c write $bytes
    catch {$c flush}
    assert_error $pattern {$c read}
    assert_error {*closed*} {$c read}
    $c close
}

start_server {tags {"protocol"}} {

test {Inline commands} {
    set c [redis_client]
    $c write "PING\r\n"
    $c flush
    assert_equal PONG [$c read]
    # A bare LF ends the line too, and extra spaces separate nothing.
    $c write "  ECHO   hi  \n"
    $c flush
    assert_equal hi [$c read]
    $c close
}

test {Inline commands: double and single quotes, escapes} {
    set c [redis_client]
    $c write "SET \"proto:a b\" \"x\\x41\\n\\ty\"\r\nGET \"proto:a b\"\r\n"
    $c flush
    assert_equal OK [$c read]
    assert_equal "xA\n\ty" [$c read]
    $c write "ECHO 'it''s'\r\n"
    $c flush
    catch {$c read} e
    assert_match {*unbalanced quotes*} $e
    $c close
    set c [redis_client]
    $c write "ECHO 'single \"quoted\"'\r\nECHO \"\"\r\n"
    $c flush
    assert_equal {single "quoted"} [$c read]
    assert_equal {} [$c read]
    $c close
}

test {Inline: empty lines are ignored} {
    set c [redis_client]
    $c write "\r\n\n   \r\nPING\r\n"
    $c flush
    assert_equal PONG [$c read]
    $c close
}

test {Inline: unbalanced quotes are a protocol error} {
    proto_expect_error "SET \"foo bar\r\n" {ERR Protocol error: unbalanced quotes in request}
    proto_expect_error "SET 'foo bar\r\n" {ERR Protocol error: unbalanced quotes in request}
    # A closing quote must be followed by a space or the end of the line.
    proto_expect_error "SET \"foo\"bar x\r\n" {ERR Protocol error: unbalanced quotes in request}
}

test {Inline: a line longer than 64 KB without a newline is refused} {
    proto_expect_error [string repeat a 70000] {ERR Protocol error: too big inline request}
}

test {Multibulk: a request split at every byte} {
    set c [redis_client]
    set req "*3\r\n\$3\r\nSET\r\n\$7\r\nproto:s\r\n\$5\r\nhello\r\n"
    foreach ch [split $req ""] {
        $c write $ch
        $c flush
        after 1
    }
    assert_equal OK [$c read]
    assert_equal hello [$c get proto:s]
    $c close
}

test {Multibulk: a big argument sent in pieces} {
    set c [redis_client]
    set val [string repeat abcdefgh 131072]
    set len [string length $val]
    $c write "*3\r\n\$3\r\nSET\r\n\$7\r\nproto:b\r\n\$$len\r\n"
    $c flush
    for {set i 0} {$i < $len} {incr i 100000} {
        $c write [string range $val $i [expr {$i + 99999}]]
        $c flush
    }
    $c write "\r\n"
    $c flush
    assert_equal OK [$c read]
    assert_equal $len [r strlen proto:b]
    assert_equal $val [r get proto:b]
    r del proto:b
    $c close
}

test {Pipelining: many commands in one write, replies in order} {
    r del proto:counter
    set c [redis_client]
    set buf ""
    for {set i 0} {$i < 10000} {incr i} {
        if {$i % 2} {
            append buf "INCR proto:counter\r\n"
        } else {
            append buf "*2\r\n\$4\r\nINCR\r\n\$13\r\nproto:counter\r\n"
        }
    }
    append buf "GET proto:counter\r\n"
    $c write $buf
    $c flush
    for {set i 1} {$i <= 10000} {incr i} {
        set got [$c read]
        if {$got != $i} { fail "reply $i was $got" }
    }
    assert_equal 10000 [$c read]
    $c close
}

test {Empty multibulk requests (*0, *-1) are ignored} {
    set c [redis_client]
    $c write "*0\r\n*-1\r\n*-10\r\nPING\r\n"
    $c flush
    assert_equal PONG [$c read]
    $c close
}

test {Protocol error: invalid multibulk length} {
    proto_expect_error "*abc\r\n" {ERR Protocol error: invalid multibulk length}
    proto_expect_error "*3000000000\r\n" {ERR Protocol error: invalid multibulk length}
    proto_expect_error "*1.5\r\n" {ERR Protocol error: invalid multibulk length}
}

test {Protocol error: invalid bulk length} {
    proto_expect_error "*1\r\n\$abc\r\n" {ERR Protocol error: invalid bulk length}
    proto_expect_error "*1\r\n\$-1\r\n" {ERR Protocol error: invalid bulk length}
    # Above the default proto-max-bulk-len of 512 MB.
    proto_expect_error "*1\r\n\$600000000\r\n" {ERR Protocol error: invalid bulk length}
}

test {Protocol error: expected '$'} {
    proto_expect_error "*1\r\nx\r\n" {ERR Protocol error: expected '$', got 'x'}
    proto_expect_error "*2\r\n\$4\r\nECHO\r\n:1\r\n" {ERR Protocol error: expected '$', got ':'}
}

test {Protocol error: count strings without an end} {
    proto_expect_error "*[string repeat 1 70000]" {ERR Protocol error: too big mbulk count string}
    proto_expect_error "*1\r\n\$[string repeat 1 70000]" {ERR Protocol error: too big bulk count string}
}

test {Commands before a protocol error get their replies} {
    set c [redis_client]
    $c write "PING\r\n*1\r\n\$4\r\nPING\r\n*1\r\nx\r\nPING\r\n"
    $c flush
    assert_equal PONG [$c read]
    assert_equal PONG [$c read]
    assert_error {ERR Protocol error: expected '$', got 'x'} {$c read}
    assert_error {*closed*} {$c read}
    $c close
}

test {A protocol error does not disturb other connections} {
    set c [redis_client]
    $c write "*abc\r\n"
    $c flush
    catch {$c read}
    $c close
    assert_equal PONG [r ping]
}

test {proto-max-bulk-len limits the size of one argument} {
    r config set proto-max-bulk-len 1048576
    set c [redis_client]
    set val [string repeat x 1048576]
    $c write "*3\r\n\$3\r\nSET\r\n\$7\r\nproto:m\r\n\$1048576\r\n$val\r\n"
    $c flush
    assert_equal OK [$c read]
    $c close
    assert_equal 1048576 [r strlen proto:m]
    proto_expect_error "*3\r\n\$3\r\nSET\r\n\$7\r\nproto:m\r\n\$1048577\r\n" {ERR Protocol error: invalid bulk length}
    r config set proto-max-bulk-len 536870912
    r del proto:m
}

test {client-query-buffer-limit disconnects a client with a huge pending request} {
    r config set client-query-buffer-limit 1048576
    set c [redis_client]
    set id [$c client id]
    # The server may close the socket while we are still writing.
    catch {
        $c write "*3\r\n\$3\r\nSET\r\n\$7\r\nproto:q\r\n\$3000000\r\n"
        $c write [string repeat x 1500000]
        $c flush
    }
    wait_for_condition 100 20 {
        ![string match "*id=$id *" [r client list]]
    } else {
        fail "the client was not disconnected"
    }
    assert_error {*} {$c read}
    $c close
    assert_equal 0 [r exists proto:q]
    r config set client-query-buffer-limit 1073741824
}

test {client-output-buffer-limit (normal class) disconnects a client that does not read} {
    r config set client-output-buffer-limit "normal 1048576 0 0"
    r set proto:big [string repeat x 200000]
    set c [redis_client]
    set id [$c client id]
    # 20 replies of 200 KB are queued before anything is written.
    $c write [string repeat "GET proto:big\r\n" 20]
    $c flush
    wait_for_condition 100 20 {
        ![string match "*id=$id *" [r client list]]
    } else {
        fail "the client was not disconnected"
    }
    set n 0
    catch { while {$n < 20} { $c read; incr n } }
    assert {$n < 20}
    $c close
    r config set client-output-buffer-limit "normal 0 0 0"
    # Without the limit, the same pipeline is served in full.
    set c [redis_client]
    $c write [string repeat "GET proto:big\r\n" 20]
    $c flush
    for {set i 0} {$i < 20} {incr i} {
        assert_equal 200000 [string length [$c read]]
    }
    $c close
    r del proto:big
}

test {RESP3 reply types after HELLO 3} {
    set c [redis_client]
    $c hello 3
    $c readraw 1
    # Null.
    $c send get proto:nokey
    assert_equal {_} [$c read]
    $c send debug protocol null
    assert_equal {_} [$c read]
    # Double.
    $c send debug protocol double
    assert_equal {,3.141} [$c read]
    # Booleans.
    $c send debug protocol true
    assert_equal {#t} [$c read]
    $c send debug protocol false
    assert_equal {#f} [$c read]
    # Map.
    $c send debug protocol map
    assert_equal {%3} [$c read]
    foreach expected {:0 #f :1 #t :2 #f} { assert_equal $expected [$c read] }
    $c close
}

test {The same replies in RESP2} {
    set c [redis_client]
    $c readraw 1
    $c send get proto:nokey
    assert_equal {$-1} [$c read]
    $c send debug protocol double
    assert_equal {$5} [$c read]
    assert_equal 3.141 [$c read]
    $c send debug protocol true
    assert_equal {:1} [$c read]
    $c send debug protocol false
    assert_equal {:0} [$c read]
    $c send debug protocol map
    assert_equal {*6} [$c read]
    $c close
}

}

start_server {tags {"protocol auth"} overrides {requirepass foobar}} {

test {Unauthenticated connections: at most 10 arguments} {
    proto_expect_error "*11\r\n" {ERR Protocol error: unauthenticated multibulk length}
    # Ten arguments are accepted (and then refused by NOAUTH).
    set c [redis_client]
    set req "*10\r\n"
    for {set i 0} {$i < 10} {incr i} { append req "\$4\r\nPING\r\n" }
    $c write $req
    $c flush
    assert_error {NOAUTH*} {$c read}
    assert_error {NOAUTH*} {$c ping}
    $c close
}

test {Unauthenticated connections: arguments of at most 16 KB} {
    proto_expect_error "*2\r\n\$4\r\nECHO\r\n\$16385\r\n" {ERR Protocol error: unauthenticated bulk length}
    set c [redis_client]
    $c write "*2\r\n\$4\r\nECHO\r\n\$16384\r\n[string repeat x 16384]\r\n"
    $c flush
    assert_error {NOAUTH*} {$c read}
    $c close
}

test {After AUTH the limits are the normal ones} {
    set c [redis_client]
    $c auth foobar
    set req "*13\r\n\$4\r\nMSET\r\n\$5\r\nproto\r\n\$20000\r\n[string repeat y 20000]\r\n"
    for {set i 0} {$i < 10} {incr i} { append req "\$1\r\nk\r\n" }
    $c write $req
    $c flush
    assert_equal OK [$c read]
    $c write "*2\r\n\$4\r\nECHO\r\n\$20000\r\n[string repeat z 20000]\r\n"
    $c flush
    assert_equal [string repeat z 20000] [$c read]
    $c close
}

}
