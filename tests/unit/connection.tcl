# connection.tcl: the commands about the connection itself.
#
# Covers PING, ECHO, QUIT, SELECT, RESET, HELLO and AUTH: their replies in
# RESP2 and RESP3, their exact error texts, and the state they change (the
# selected database, the protocol, the connection name, authentication).
# Authentication is tested against a server started with requirepass, where
# the order of checks (NOAUTH before anything, HELLO AUTH, RESET dropping the
# login) matters to client libraries.

# Reads from c and expects the server to have closed the connection.
proc conn_assert_closed {c} {
    assert_error {*closed*} {$c read}
}

start_server {tags {"connection"}} {

test {PING replies PONG, or its argument as a bulk string} {
    assert_equal PONG [r ping]
    assert_equal hello [r ping hello]
    assert_equal "" [r ping ""]
    r readraw 1
    assert_equal {+PONG} [r ping]
    assert_equal {$3} [r ping abc]
    assert_equal abc [r read]
    r readraw 0
}

test {PING with two arguments is an arity error} {
    assert_error "ERR wrong number of arguments for 'ping' command" {r ping a b}
}

test {ECHO returns its argument, binary safe} {
    assert_equal hello [r echo hello]
    set bin "a\x00b\r\nc\xff"
    assert_equal $bin [r echo $bin]
    assert_equal "" [r echo ""]
    assert_error "ERR wrong number of arguments for 'echo' command" {r echo}
    assert_error "ERR wrong number of arguments for 'echo' command" {r echo a b}
}

test {SELECT switches the database of this connection only} {
    r select 0
    r del conn:k
    r select 1
    r set conn:k one
    assert_equal one [r get conn:k]
    r select 0
    assert_equal {} [r get conn:k]
    set c [redis_client]
    assert_equal {} [$c get conn:k]
    assert_equal OK [$c select 1]
    assert_equal one [$c get conn:k]
    $c close
    r select 1
    r del conn:k
    r select 0
}

test {SELECT of every configured database works} {
    for {set db 0} {$db < 16} {incr db} {
        assert_equal OK [r select $db]
    }
    r select 0
}

test {SELECT errors: out of range and not an integer} {
    assert_error "ERR DB index is out of range" {r select 16}
    assert_error "ERR DB index is out of range" {r select -1}
    assert_error "ERR DB index is out of range" {r select 2147483647}
    assert_error "ERR value is not an integer or out of range" {r select abc}
    assert_error "ERR value is not an integer or out of range" {r select 1.5}
    assert_error "ERR value is not an integer or out of range" {r select " 1"}
    assert_error "ERR value is not an integer or out of range" {r select 01}
    assert_error "ERR value is not an integer or out of range" {r select 99999999999999999999}
    assert_error "ERR value is out of range, value must between -2147483648 and 2147483647" {r select 4294967296}
    assert_error "ERR value is out of range, value must between -2147483648 and 2147483647" {r select -2147483649}
    assert_error "ERR value is not an integer or out of range" {r select ""}
    assert_error "ERR wrong number of arguments for 'select' command" {r select}
    # A failed SELECT leaves the current database alone.
    r select 3
    r set conn:sel here
    catch {r select 99}
    assert_equal here [r get conn:sel]
    r del conn:sel
    r select 0
}

test {QUIT replies OK and the server closes the connection} {
    set c [redis_client]
    assert_equal OK [$c quit]
    conn_assert_closed $c
    $c close
}

test {QUIT takes arguments and ignores them} {
    set c [redis_client]
    assert_equal OK [$c quit now please]
    conn_assert_closed $c
    $c close
}

test {QUIT in a pipeline: earlier replies arrive, later commands do not run} {
    r del conn:afterquit
    set c [redis_client]
    $c write "PING\r\nQUIT\r\nSET conn:afterquit 1\r\n"
    $c flush
    assert_equal PONG [$c read]
    assert_equal OK [$c read]
    conn_assert_closed $c
    $c close
    assert_equal 0 [r exists conn:afterquit]
}

test {QUIT closes the connection even with CLIENT REPLY OFF} {
    set c [redis_client]
    set id [$c client id]
    $c send client reply off
    $c send quit
    wait_for_condition 50 20 {
        ![string match "*id=$id *" [r client list]]
    } else {
        fail "the connection stayed open after QUIT"
    }
    $c close
} {ringkv-only}

test {HELLO without arguments describes the connection in RESP2} {
    set c [redis_client]
    set reply [$c hello]
    assert_equal 14 [llength $reply]
    assert_equal {server version proto id mode role modules} [dict keys $reply]
    assert_equal redis [dict get $reply server]
    assert_equal 7.0.15 [dict get $reply version]
    assert_equal 2 [dict get $reply proto]
    assert_equal [$c client id] [dict get $reply id]
    assert_equal standalone [dict get $reply mode]
    assert_equal master [dict get $reply role]
    assert_equal {} [dict get $reply modules]
    $c close
}

test {HELLO 3 switches to RESP3: the reply itself is a map} {
    set c [redis_client]
    $c readraw 1
    $c send hello 3
    assert_equal {%7} [$c read]
    foreach {k v} {server redis version 7.0.15 proto :3} {
        assert_equal "\$[string length $k]" [$c read]
        assert_equal $k [$c read]
        if {[string index $v 0] eq ":"} {
            assert_equal $v [$c read]
        } else {
            assert_equal "\$[string length $v]" [$c read]
            assert_equal $v [$c read]
        }
    }
    # id, then mode and role (two lines each for key and value), modules
    assert_equal {$2} [$c read]
    assert_equal id [$c read]
    assert_match {:*} [$c read]
    for {set i 0} {$i < 8} {incr i} { $c read }
    assert_equal {$7} [$c read]
    assert_equal modules [$c read]
    assert_equal {*0} [$c read]
    # Later replies use RESP3 types: the missing key is a RESP3 null.
    $c send get conn:nokey
    assert_equal {_} [$c read]
    $c readraw 0
    $c close
}

test {HELLO without a version keeps the current protocol} {
    set c [redis_client]
    $c hello 3
    set reply [$c hello]
    assert_equal 3 [dict get $reply proto]
    $c hello 2
    assert_equal 2 [dict get [$c hello] proto]
    $c readraw 1
    $c send get conn:nokey
    assert_equal {$-1} [$c read]
    $c close
}

test {HELLO errors: version, options} {
    assert_error "NOPROTO unsupported protocol version" {r hello 4}
    assert_error "NOPROTO unsupported protocol version" {r hello 1}
    assert_error "NOPROTO unsupported protocol version" {r hello 0}
    assert_error "NOPROTO unsupported protocol version" {r hello -1}
    assert_error "NOPROTO unsupported protocol version" {r hello 4 foo}
    assert_error "ERR Protocol version is not an integer or out of range" {r hello abc}
    assert_error "ERR Protocol version is not an integer or out of range" {r hello 3.0}
    assert_error "ERR Protocol version is not an integer or out of range" {r hello 99999999999999999999}
    assert_error "ERR Syntax error in HELLO option 'foo'" {r hello 3 foo}
    assert_error "ERR Syntax error in HELLO option 'SETNAME'" {r hello 3 SETNAME}
    assert_error "ERR Syntax error in HELLO option 'auth'" {r hello 3 auth default}
    assert_error "ERR Syntax error in HELLO option 'y'" {r hello 2 AUTH default x y}
    assert_error "ERR Client names cannot contain spaces, newlines or special characters." {r hello 3 setname "a b"}
}

test {A failed HELLO does not change the protocol} {
    set c [redis_client]
    catch {$c hello 3 foo}
    $c readraw 1
    $c send get conn:nokey
    assert_equal {$-1} [$c read]
    $c close
}

test {HELLO SETNAME names the connection; options apply in order} {
    set c [redis_client]
    $c hello 2 setname conn-a
    assert_equal conn-a [$c client getname]
    $c hello 2 SETNAME x SETNAME conn-b
    assert_equal conn-b [$c client getname]
    # The SETNAME before the bad option has already happened.
    catch {$c hello 2 setname conn-c bogus}
    assert_equal conn-c [$c client getname]
    # An empty name removes the name.
    $c hello 2 setname ""
    assert_equal {} [$c client getname]
    $c close
}

test {AUTH without a configured password} {
    assert_error "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?" {r auth foo}
    # The default user has no password: any password logs it in.
    assert_equal OK [r auth default whatever]
    assert_error "WRONGPASS invalid username-password pair or user is disabled." {r auth nosuchuser foo}
    assert_error "ERR syntax error" {r auth a b c}
    assert_error "ERR wrong number of arguments for 'auth' command" {r auth}
    # HELLO AUTH with the default user works the same way.
    assert_equal 2 [dict get [r hello 2 auth default whatever] proto]
    assert_error "WRONGPASS invalid username-password pair or user is disabled." {r hello 2 auth nosuchuser foo}
}

test {RESET replies RESET and restores db, protocol, name and reply mode} {
    set c [redis_client]
    set id [$c client id]
    $c select 5
    $c hello 3 setname conn-reset
    $c readraw 1
    $c send client reply off
    $c send reset
    assert_equal {+RESET} [$c read]
    $c readraw 0
    # Back to RESP2, db 0, no name; the connection is the same one.
    assert_equal 2 [dict get [$c hello] proto]
    set info [$c client info]
    assert_match "id=$id *" $info
    assert_match "* name= *" $info
    assert_match "* db=0 *" $info
    assert_match "* resp=2*" $info
    assert_equal {} [$c client getname]
    $c close
}

test {RESET keeps CLIENT NO-EVICT, as Redis 7.0 does} {
    set c [redis_client]
    $c client no-evict on
    assert_equal RESET [$c reset]
    assert_match "* flags=e *" [$c client info]
    $c close
}

test {RESET does not take arguments} {
    assert_error "ERR wrong number of arguments for 'reset' command" {r reset now}
}

test {CLIENT REPLY SKIP applies to RESET itself, not to what follows} {
    set c [redis_client]
    $c readraw 1
    $c write "CLIENT REPLY SKIP\r\nRESET\r\nPING\r\n"
    $c flush
    assert_equal {+PONG} [$c read]
    $c close
}

}

start_server {tags {"connection auth"} overrides {requirepass foobar}} {

test {With requirepass, commands before AUTH get NOAUTH} {
    set c [redis_client]
    assert_error "NOAUTH Authentication required." {$c ping}
    assert_error "NOAUTH Authentication required." {$c set conn:x 1}
    assert_error "NOAUTH Authentication required." {$c client id}
    $c close
}

test {AUTH with a wrong password fails, the right one logs in} {
    set c [redis_client]
    assert_error "WRONGPASS invalid username-password pair or user is disabled." {$c auth wrong}
    assert_error "WRONGPASS invalid username-password pair or user is disabled." {$c auth default wrong}
    assert_error "WRONGPASS invalid username-password pair or user is disabled." {$c auth nosuchuser foobar}
    assert_error "WRONGPASS invalid username-password pair or user is disabled." {$c auth foobar2}
    assert_error "WRONGPASS invalid username-password pair or user is disabled." {$c auth fooba}
    assert_error "NOAUTH Authentication required." {$c ping}
    assert_equal OK [$c auth foobar]
    assert_equal PONG [$c ping]
    $c close
}

test {AUTH default <password> logs in as the default user} {
    set c [redis_client]
    assert_equal OK [$c auth default foobar]
    assert_equal PONG [$c ping]
    # A later failed AUTH does not log the connection out.
    assert_error "WRONGPASS*" {$c auth default wrong}
    assert_equal PONG [$c ping]
    $c close
}

test {The user name is case sensitive} {
    set c [redis_client]
    assert_error "WRONGPASS*" {$c auth DEFAULT foobar}
    $c close
}

test {HELLO before AUTH is refused, HELLO AUTH logs in} {
    set c [redis_client]
    assert_error "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time" {$c hello 3}
    assert_error "WRONGPASS invalid username-password pair or user is disabled." {$c hello 3 auth default wrong}
    assert_error "NOAUTH*" {$c ping}
    set reply [$c hello 3 auth default foobar]
    assert_equal 3 [dict get $reply proto]
    assert_equal PONG [$c ping]
    $c close
}

test {HELLO version errors come before the authentication check} {
    set c [redis_client]
    assert_error "NOPROTO*" {$c hello 4}
    $c close
}

test {HELLO SETNAME before AUTH still names the connection} {
    set c [redis_client]
    assert_error "NOAUTH HELLO*" {$c hello 2 setname early}
    $c auth foobar
    assert_equal early [$c client getname]
    $c close
}

test {QUIT works before AUTH} {
    set c [redis_client]
    assert_equal OK [$c quit]
    conn_assert_closed $c
    $c close
}

test {RESET logs the connection out} {
    set c [redis_client]
    $c auth foobar
    assert_equal PONG [$c ping]
    assert_equal RESET [$c reset]
    assert_error "NOAUTH Authentication required." {$c ping}
    $c close
}

}
