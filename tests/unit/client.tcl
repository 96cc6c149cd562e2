# client.tcl: the CLIENT command.
#
# Covers ID, SETNAME/GETNAME, LIST (all, TYPE, ID) and INFO with the exact
# Redis 7.0 field list and values that move with what they measure (qbuf and
# argv-mem of a command still arriving, multi and multi-mem in MULTI, tot-mem
# with WATCHed keys, omem/oll/events for a client that does not read, the
# subscription counts, the P x b d flags, rbs/rbp, age and idle), KILL in the old form and with every filter (alone
# and combined, SKIPME, killing oneself), REPLY ON/OFF/SKIP, NO-EVICT,
# PAUSE WRITE/ALL and UNPAUSE, HELP, GETREDIR, TRACKINGINFO, and the error
# texts of each.  Tests that kill many connections run in their own server
# so the default client of the others survives.

# Returns the value of one field of a CLIENT LIST/INFO line.
proc client_field {line field} {
    foreach kv [split [string trim $line] " "] {
        set eq [string first = $kv]
        if {[string range $kv 0 [expr {$eq - 1}]] eq $field} {
            return [string range $kv [expr {$eq + 1}] end]
        }
    }
    error "no field '$field' in '$line'"
}

# The CLIENT LIST lines, one element per connection.
proc client_lines {text} {
    set lines {}
    foreach l [split $text "\n"] {
        if {$l ne ""} { lappend lines $l }
    }
    return $lines
}

# Whether a connection with this id is listed by the server.
proc client_listed {id} {
    foreach l [client_lines [r client list]] {
        if {[client_field $l id] == $id} { return 1 }
    }
    return 0
}

# Expects the server to have closed c: the next command or read fails.
proc client_assert_closed {c} {
    assert_error {*} {$c ping}
}

start_server {tags {"client"}} {

test {CLIENT ID is an integer, distinct and growing per connection} {
    set c1 [redis_client]
    set c2 [redis_client]
    set id1 [$c1 client id]
    set id2 [$c2 client id]
    assert {[string is integer -strict $id1]}
    assert {$id2 > $id1}
    assert_equal $id1 [$c1 client id]
    $c1 close
    $c2 close
}

test {CLIENT GETNAME is null until CLIENT SETNAME names the connection} {
    set c [redis_client]
    assert_equal {} [$c client getname]
    $c readraw 1
    assert_equal {$-1} [$c client getname]
    $c readraw 0
    assert_equal OK [$c client setname my-conn]
    assert_equal my-conn [$c client getname]
    assert_equal my-conn [client_field [$c client info] name]
    # An empty name removes it.
    assert_equal OK [$c client setname ""]
    assert_equal {} [$c client getname]
    assert_equal {} [client_field [$c client info] name]
    $c close
}

test {CLIENT SETNAME refuses spaces, newlines and special characters} {
    set err "ERR Client names cannot contain spaces, newlines or special characters."
    foreach bad [list "a b" "a\nb" "a\rb" "\x7f" "caf\xc3\xa9" "\x00" "tab\there"] {
        assert_error $err {r client setname $bad}
    }
    # A refused name leaves the current one.
    r client setname keep-me
    catch {r client setname "x y"}
    assert_equal keep-me [r client getname]
    # Every printable non-space ASCII character is allowed.
    set all ""
    for {set i 33} {$i <= 126} {incr i} { append all [format %c $i] }
    assert_equal OK [r client setname $all]
    assert_equal $all [r client getname]
    r client setname ""
}

test {CLIENT subcommand arity errors} {
    assert_error "ERR wrong number of arguments for 'client|setname' command" {r client setname}
    assert_error "ERR wrong number of arguments for 'client|setname' command" {r client setname a b}
    assert_error "ERR wrong number of arguments for 'client|getname' command" {r client getname x}
    assert_error "ERR wrong number of arguments for 'client|id' command" {r client id x}
    assert_error "ERR wrong number of arguments for 'client|info' command" {r client info x}
    assert_error "ERR wrong number of arguments for 'client|reply' command" {r client reply}
    assert_error "ERR wrong number of arguments for 'client|pause' command" {r client pause}
    assert_error "ERR wrong number of arguments for 'client|unpause' command" {r client unpause x}
    assert_error "ERR wrong number of arguments for 'client|kill' command" {r client kill}
    assert_error "ERR wrong number of arguments for 'client|no-evict' command" {r client no-evict}
    assert_error "ERR wrong number of arguments for 'client' command" {r client}
}

test {CLIENT with an unknown subcommand} {
    assert_error "ERR unknown subcommand 'foo'. Try CLIENT HELP." {r client foo}
    # NO-TOUCH arrived in Redis 7.2.
    assert_error "ERR unknown subcommand 'no-touch'. Try CLIENT HELP." {r client no-touch on}
}

test {CLIENT INFO describes this connection with the Redis 7.0 fields} {
    set c [redis_client]
    $c client setname info-conn
    $c select 3
    set info [$c client info]
    assert_equal "\n" [string index $info end]
    assert_equal 1 [llength [client_lines $info]]
    set keys {}
    foreach kv [split [string trim $info] " "] {
        lappend keys [lindex [split $kv =] 0]
    }
    assert_equal {id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp} $keys
    assert_equal [$c client id] [client_field $info id]
    assert_equal info-conn [client_field $info name]
    assert_equal 3 [client_field $info db]
    assert_equal N [client_field $info flags]
    assert_equal client|info [client_field $info cmd]
    assert_equal default [client_field $info user]
    assert_equal -1 [client_field $info multi]
    assert_equal -1 [client_field $info redir]
    assert_equal 2 [client_field $info resp]
    assert_match {127.0.0.1:*} [client_field $info addr]
    assert_equal "127.0.0.1:[srv port]" [client_field $info laddr]
    $c hello 3
    assert_equal 3 [client_field [$c client info] resp]
    $c close
}

# The CLIENT LIST line of the connection with this id (via the default
# client, so that it shows the state between that connection's commands).
proc client_line_of {id} {
    return [lindex [client_lines [r client list id $id]] 0]
}

test {CLIENT LIST qbuf and argv-mem show a command still arriving} {
    set c [redis_client]
    set id [$c client id]
    assert_equal 0 [client_field [client_line_of $id] qbuf]
    assert_equal 0 [client_field [client_line_of $id] argv-mem]
    # SET and the key have arrived, the value only in part.
    $c write "*3\r\n\$3\r\nSET\r\n\$11\r\nclient:qbuf\r\n\$1000\r\n[string repeat x 300]"
    $c flush
    wait_for_condition 50 20 {[client_field [client_line_of $id] qbuf] >= 300} else {
        fail "qbuf did not grow: [client_line_of $id]"
    }
    set line [client_line_of $id]
    assert_equal 14 [client_field $line argv-mem]
    assert_morethan [client_field $line qbuf-free] 0
    set totmem [client_field $line tot-mem]
    # The rest of the command: it runs, and the buffer empties.
    $c write "[string repeat x 700]\r\n"
    $c flush
    assert_equal OK [$c read]
    set line [client_line_of $id]
    assert_equal 0 [client_field $line qbuf]
    assert_equal 0 [client_field $line argv-mem]
    assert_equal set [client_field $line cmd]
    assert_equal 1000 [r strlen client:qbuf]
    $c close
}

test {CLIENT LIST multi and multi-mem follow the MULTI queue} {
    set c [redis_client]
    set id [$c client id]
    set line [client_line_of $id]
    assert_equal -1 [client_field $line multi]
    assert_equal 0 [client_field $line multi-mem]
    $c multi
    set line [client_line_of $id]
    assert_equal 0 [client_field $line multi]
    assert_equal x [client_field $line flags]
    $c set client:m1 [string repeat v 1000]
    $c set client:m2 2
    set line [client_line_of $id]
    assert_equal 2 [client_field $line multi]
    set mm [client_field $line multi-mem]
    # The queued arguments are counted, the big value included.
    assert_morethan $mm 1000
    assert_morethan [client_field $line tot-mem] $mm
    $c exec
    set line [client_line_of $id]
    assert_equal -1 [client_field $line multi]
    assert_equal 0 [client_field $line multi-mem]
    assert_equal N [client_field $line flags]
    $c close
}

# tot-mem without the query buffer, whose allocation varies with traffic.
proc client_mem_without_qbuf {line} {
    return [expr {[client_field $line tot-mem] - [client_field $line qbuf] - [client_field $line qbuf-free]}]
}

test {CLIENT LIST tot-mem counts WATCHed keys, multi-mem does not} {
    set c [redis_client]
    set id [$c client id]
    set keys {}
    for {set i 0} {$i < 100} {incr i} { lappend keys client:w$i }
    $c watch {*}$keys
    set line [client_line_of $id]
    assert_equal 0 [client_field $line multi-mem]
    set watching [client_mem_without_qbuf $line]
    $c unwatch
    set line [client_line_of $id]
    assert_morethan $watching [expr {[client_mem_without_qbuf $line] + 100 * 16}]
    $c close
}

test {CLIENT LIST flags: d once a WATCHed key changed} {
    set c [redis_client]
    set id [$c client id]
    $c watch client:dirty
    assert_equal N [client_field [client_line_of $id] flags]
    r set client:dirty 1
    assert_equal d [client_field [client_line_of $id] flags]
    $c multi
    assert_equal xd [client_field [client_line_of $id] flags]
    $c discard
    $c close
}

test {CLIENT LIST omem, oll and events for a client that does not read} {
    r set client:big [string repeat z 1000000]
    set rd [redis_deferring_client]
    $rd client id
    set id [$rd read]
    set line [client_line_of $id]
    assert_equal 0 [client_field $line omem]
    assert_equal 0 [client_field $line oll]
    assert_equal r [client_field $line events]
    # 30 MB of replies: more than the socket buffers hold.
    for {set i 0} {$i < 30} {incr i} { $rd get client:big }
    $rd flush
    # Once 10 MB are queued the socket is full: omem cannot go below that
    # while the client does not read.  (Below it, a poll may see replies
    # that are about to be written in the same event-loop iteration.)
    wait_for_condition 100 20 {[client_field [client_line_of $id] omem] > 10000000} else {
        fail "omem did not grow: [client_line_of $id]"
    }
    set line [client_line_of $id]
    assert_morethan [client_field $line oll] 0
    assert_morethan_equal [client_field $line tot-mem] [client_field $line omem]
    # Replies are waiting for the socket: the server watches writability.
    assert_equal rw [client_field $line events]
    for {set i 0} {$i < 30} {incr i} { assert_equal 1000000 [string length [$rd read]] }
    wait_for_condition 50 20 {[client_field [client_line_of $id] omem] == 0} else {
        fail "omem did not drain: [client_line_of $id]"
    }
    set line [client_line_of $id]
    assert_equal 0 [client_field $line oll]
    assert_equal r [client_field $line events]
    $rd close
    r del client:big
}

test {CLIENT LIST sub, psub, ssub and the P flag} {
    set rd [redis_deferring_client]
    $rd client id
    set id [$rd read]
    $rd subscribe client:ch1 client:ch2
    $rd read
    $rd read
    $rd psubscribe client:p*
    $rd read
    $rd ssubscribe client:shard
    $rd read
    set line [client_line_of $id]
    assert_equal 2 [client_field $line sub]
    assert_equal 1 [client_field $line psub]
    assert_equal 1 [client_field $line ssub]
    assert_equal P [client_field $line flags]
    assert_equal ssubscribe [client_field $line cmd]
    # Listed among pub/sub clients only.
    set ids {}
    foreach l [client_lines [r client list type pubsub]] { lappend ids [client_field $l id] }
    assert_equal [list $id] $ids
    $rd close
    wait_for_condition 50 20 {[client_line_of $id] eq ""} else {
        fail "the subscriber is still listed"
    }
}

test {CLIENT LIST flags: b while blocked} {
    r del client:blk
    set rd [redis_deferring_client]
    $rd client id
    set id [$rd read]
    $rd blpop client:blk 0
    wait_for_condition 50 20 {[client_field [client_line_of $id] flags] eq "b"} else {
        fail "not shown as blocked: [client_line_of $id]"
    }
    assert_equal blpop [client_field [client_line_of $id] cmd]
    r rpush client:blk v
    assert_equal {client:blk v} [$rd read]
    assert_equal N [client_field [client_line_of $id] flags]
    $rd close
}

test {CLIENT LIST rbs and rbp describe the reply buffer} {
    set c [redis_client]
    set id [$c client id]
    $c ping
    set line [client_line_of $id]
    set rbs [client_field $line rbs]
    assert_morethan_equal $rbs 1024
    assert_range [client_field $line rbp] 0 $rbs
    $c close
}

test {CLIENT LIST age and idle count seconds} {
    set c [redis_client]
    set id [$c client id]
    after 1100
    set line [client_line_of $id]
    assert_morethan_equal [client_field $line age] 1
    assert_morethan_equal [client_field $line idle] 1
    $c ping
    assert_equal 0 [client_field [client_line_of $id] idle]
    $c close
}

test {CLIENT INFO and CLIENT LIST are verbatim strings in RESP3} {
    set c [redis_client]
    $c hello 3
    $c readraw 1
    $c send client info
    assert_match {=*} [$c read]
    assert_match {txt:id=*} [$c read]
    # The text ends in "\n", then the reply's own CRLF.
    assert_equal {} [$c read]
    $c readraw 0
    # The client library strips the "txt:" format prefix.
    assert_match {id=*} [$c client list]
    assert_match {id=*} [$c client info]
    $c close
}

test {CLIENT LIST shows every connection, one line each} {
    set c1 [redis_client]
    set c2 [redis_client]
    $c1 client setname list-one
    $c2 client setname list-two
    set lines [client_lines [r client list]]
    set names {}
    set ids {}
    foreach l $lines {
        lappend names [client_field $l name]
        lappend ids [client_field $l id]
    }
    assert {"list-one" in $names}
    assert {"list-two" in $names}
    assert {[$c1 client id] in $ids}
    assert {[r client id] in $ids}
    # The caller's own line shows the command being run.
    foreach l $lines {
        if {[client_field $l id] == [r client id]} {
            assert_equal client|list [client_field $l cmd]
        }
    }
    $c1 close
    $c2 close
}

test {CLIENT LIST shows the last command of other connections} {
    set c [redis_client]
    $c set client:lastcmd 1
    set id [$c client id]
    $c get client:lastcmd
    set l [lindex [client_lines [r client list id $id]] 0]
    assert_equal get [client_field $l cmd]
    $c close
}

test {CLIENT LIST TYPE} {
    set normal [client_lines [r client list type normal]]
    assert {[llength $normal] >= 1}
    set found 0
    foreach l $normal { if {[client_field $l id] == [r client id]} { set found 1 } }
    assert_equal 1 $found
    # The previous test's client may still be closing (slow builds): the
    # two spellings must agree once the list is stable.
    wait_for_condition 50 20 {
        [llength [client_lines [r client list type normal]]] == [llength [client_lines [r client list type NORMAL]]]
    } else {
        fail "CLIENT LIST TYPE normal and NORMAL differ"
    }
    foreach t {pubsub master replica slave PUBSUB} {
        assert_equal {} [r client list type $t]
    }
    assert_error "ERR Unknown client type 'foo'" {r client list type foo}
}

test {CLIENT LIST ID: in the order given, unknown ids skipped} {
    set c1 [redis_client]
    set c2 [redis_client]
    set id1 [$c1 client id]
    set id2 [$c2 client id]
    set lines [client_lines [r client list id $id2 999999 $id1]]
    assert_equal 2 [llength $lines]
    assert_equal $id2 [client_field [lindex $lines 0] id]
    assert_equal $id1 [client_field [lindex $lines 1] id]
    # The same id twice is listed twice.
    assert_equal 2 [llength [client_lines [r client list id $id1 $id1]]]
    assert_equal {} [r client list id 999999]
    assert_equal {} [r client list id 0]
    assert_equal {} [r client list id -5]
    $c1 close
    $c2 close
}

test {CLIENT LIST errors} {
    assert_error "ERR Invalid client ID" {r client list id abc}
    assert_error "ERR Invalid client ID" {r client list id 1 abc}
    assert_error "ERR Invalid client ID" {r client list id 1.5}
    assert_error "ERR syntax error" {r client list id}
    assert_error "ERR syntax error" {r client list type}
    assert_error "ERR syntax error" {r client list foo}
    assert_error "ERR syntax error" {r client list type normal id 1}
    assert_error "ERR syntax error" {r client list type normal extra}
}

test {CLIENT KILL <addr>: the old form} {
    set c [redis_client]
    set id [$c client id]
    set addr [client_field [$c client info] addr]
    assert_equal OK [r client kill $addr]
    assert_equal 0 [client_listed $id]
    client_assert_closed $c
    $c close
    assert_error "ERR No such client" {r client kill $addr}
    assert_error "ERR No such client" {r client kill 1.2.3.4:5}
    # With three arguments "id" is an address, not a filter.
    assert_error "ERR No such client" {r client kill id}
}

test {CLIENT KILL <addr> of oneself replies OK, then closes} {
    set c [redis_client]
    set addr [client_field [$c client info] addr]
    assert_equal OK [$c client kill $addr]
    client_assert_closed $c
    $c close
}

test {CLIENT KILL ID} {
    set c [redis_client]
    set id [$c client id]
    assert_equal 1 [r client kill id $id]
    assert_equal 0 [client_listed $id]
    client_assert_closed $c
    $c close
    assert_equal 0 [r client kill id $id]
    assert_equal 0 [r client kill ID 999999]
}

test {CLIENT KILL ADDR and LADDR} {
    set c [redis_client]
    set info [$c client info]
    set id [client_field $info id]
    assert_equal 0 [r client kill addr 1.2.3.4:5]
    assert_equal 0 [r client kill laddr 1.2.3.4:5]
    assert_equal 1 [r client kill addr [client_field $info addr]]
    assert_equal 0 [client_listed $id]
    client_assert_closed $c
    $c close
}

test {CLIENT KILL filters combine: all must match} {
    set c1 [redis_client]
    set c2 [redis_client]
    set i1 [$c1 client info]
    set i2 [$c2 client info]
    set id1 [client_field $i1 id]
    set addr2 [client_field $i2 addr]
    # ID of one, ADDR of the other: nobody.
    assert_equal 0 [r client kill id $id1 addr $addr2]
    assert_equal 0 [r client kill id $id1 type pubsub]
    assert_equal 1 [client_listed $id1]
    # Every filter matching c1.
    assert_equal 1 [r client kill id $id1 addr [client_field $i1 addr] laddr [client_field $i1 laddr] type normal user default skipme yes]
    assert_equal 0 [client_listed $id1]
    assert_equal 1 [client_listed [client_field $i2 id]]
    assert_equal PONG [$c2 ping]
    $c1 close
    $c2 close
}

test {CLIENT KILL skips the caller unless SKIPME no} {
    set c [redis_client]
    set id [$c client id]
    assert_equal 0 [$c client kill id $id]
    assert_equal 0 [$c client kill id $id skipme yes]
    assert_equal PONG [$c ping]
    assert_equal 1 [$c client kill id $id skipme no]
    client_assert_closed $c
    $c close
}

test {CLIENT KILL SKIPME no in a pipeline: the reply arrives, nothing after runs} {
    r del client:afterkill
    set c [redis_client]
    set id [$c client id]
    $c write "CLIENT KILL SKIPME no ID $id\r\nSET client:afterkill 1\r\n"
    $c flush
    assert_equal 1 [$c read]
    assert_error {*closed*} {$c read}
    $c close
    assert_equal 0 [r exists client:afterkill]
}

test {CLIENT KILL errors} {
    assert_error "ERR client-id should be greater than 0" {r client kill id 0}
    assert_error "ERR client-id should be greater than 0" {r client kill id -1}
    assert_error "ERR client-id should be greater than 0" {r client kill id abc}
    assert_error "ERR Unknown client type 'foo'" {r client kill type foo}
    assert_error "ERR No such user 'nobody'" {r client kill user nobody}
    assert_error "ERR syntax error" {r client kill skipme maybe}
    assert_error "ERR syntax error" {r client kill foo bar}
    assert_error "ERR syntax error" {r client kill id 1 type}
    assert_error "ERR syntax error" {r client kill skipme no id}
    # MAXAGE is Redis 7.4.
    assert_error "ERR syntax error" {r client kill maxage 1}
}

test {CLIENT REPLY OFF silences every reply until CLIENT REPLY ON} {
    r del client:reply
    set c [redis_client]
    $c readraw 1
    $c write "CLIENT REPLY OFF\r\nSET client:reply 1\r\nGET client:reply\r\nNOSUCHCMD\r\nCLIENT REPLY OFF\r\nCLIENT REPLY ON\r\nGET client:reply\r\n"
    $c flush
    assert_equal {+OK} [$c read]
    assert_equal {$1} [$c read]
    assert_equal 1 [$c read]
    $c close
    # The silenced commands did run.
    assert_equal 1 [r get client:reply]
}

test {CLIENT REPLY SKIP drops the reply of the next command only} {
    set c [redis_client]
    $c readraw 1
    $c write "CLIENT REPLY SKIP\r\nPING first\r\nPING second\r\n"
    $c flush
    assert_equal {$6} [$c read]
    assert_equal second [$c read]
    # Two SKIPs in a row: the second is the skipped command, and it skips
    # the one after it.
    $c write "CLIENT REPLY SKIP\r\nCLIENT REPLY SKIP\r\nPING 1\r\nPING 2\r\n"
    $c flush
    assert_equal {$1} [$c read]
    assert_equal 2 [$c read]
    # SKIP then ON: ON cancels the skip and replies.
    $c write "CLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nPING\r\n"
    $c flush
    assert_equal {+OK} [$c read]
    assert_equal {+PONG} [$c read]
    $c close
}

test {CLIENT REPLY SKIP is ignored while replies are off} {
    set c [redis_client]
    $c readraw 1
    $c write "CLIENT REPLY OFF\r\nCLIENT REPLY SKIP\r\nCLIENT REPLY ON\r\nPING\r\n"
    $c flush
    assert_equal {+OK} [$c read]
    assert_equal {+PONG} [$c read]
    $c close
}

test {CLIENT REPLY with a bad mode} {
    assert_error "ERR syntax error" {r client reply maybe}
}

test {CLIENT NO-EVICT sets and clears the e flag} {
    set c [redis_client]
    assert_equal OK [$c client no-evict on]
    assert_equal e [client_field [$c client info] flags]
    assert_equal OK [$c client no-evict OFF]
    assert_equal N [client_field [$c client info] flags]
    assert_equal OK [$c client no-evict ON]
    assert_equal e [client_field [$c client info] flags]
    assert_error "ERR syntax error" {$c client no-evict maybe}
    assert_equal e [client_field [$c client info] flags]
    $c close
}

test {CLIENT PAUSE errors} {
    assert_error "ERR timeout is not an integer or out of range" {r client pause abc}
    assert_error "ERR timeout is not an integer or out of range" {r client pause 1.5}
    assert_error "ERR timeout is not an integer or out of range" {r client pause 99999999999999999999}
    assert_error "ERR timeout is negative" {r client pause -1}
    assert_error "ERR CLIENT PAUSE mode must be WRITE or ALL" {r client pause 10 foo}
    # The mode is checked before the timeout.
    assert_error "ERR CLIENT PAUSE mode must be WRITE or ALL" {r client pause abc foo}
    assert_error "ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP." {r client pause 10 write all}
    assert_equal OK [r client unpause]
}

test {CLIENT PAUSE WRITE holds writes, lets reads through, until UNPAUSE} {
    r del client:pw
    set rd [redis_deferring_client]
    set reader [redis_client]
    assert_equal OK [r client pause 100000 write]
    $rd set client:pw 1
    # Reads (and non-write commands) are served meanwhile.
    assert_equal {} [$reader get client:pw]
    assert_equal PONG [$reader ping]
    after 100
    assert_equal {} [r get client:pw]
    assert_equal OK [r client unpause]
    assert_equal OK [$rd read]
    assert_equal 1 [r get client:pw]
    $rd close
    $reader close
}

test {CLIENT PAUSE WRITE: a held client's pipeline stays in order} {
    r del client:order
    set rd [redis_deferring_client]
    assert_equal OK [r client pause 100000 WRITE]
    # The read behind the held write waits for it.
    $rd append client:order a
    $rd get client:order
    after 50
    assert_equal 0 [r exists client:order]
    r client unpause
    assert_equal 1 [$rd read]
    assert_equal a [$rd read]
    $rd close
}

test {CLIENT KILL of a client held by CLIENT PAUSE: its write never runs} {
    r del client:killed
    set rd [redis_deferring_client]
    $rd client id
    set id [$rd read]
    assert_equal OK [r client pause 100000 write]
    $rd set client:killed 1
    after 50
    assert_equal 1 [r client kill id $id]
    assert_equal OK [r client unpause]
    after 50
    assert_equal 0 [r exists client:killed]
    assert_error {*} {$rd read}
    $rd close
}

test {CLIENT PAUSE ALL holds every command until the timeout} {
    set rd [redis_deferring_client]
    set start [clock milliseconds]
    assert_equal OK [r client pause 400 all]
    $rd ping
    assert_equal PONG [$rd read]
    set elapsed [expr {[clock milliseconds] - $start}]
    assert {$elapsed >= 300}
    $rd close
}

test {CLIENT PAUSE without a mode means ALL} {
    set rd [redis_deferring_client]
    set start [clock milliseconds]
    assert_equal OK [r client pause 300]
    $rd get client:nokey
    assert_equal {} [$rd read]
    assert {[clock milliseconds] - $start >= 200}
    $rd close
}

test {A held write runs when the pause times out} {
    r del client:timeout
    set rd [redis_deferring_client]
    assert_equal OK [r client pause 200 write]
    $rd set client:timeout 1
    assert_equal OK [$rd read]
    assert_equal 1 [r get client:timeout]
    $rd close
}

test {CLIENT PAUSE 0 pauses nothing} {
    r del client:zero
    assert_equal OK [r client pause 0 write]
    set c [redis_client]
    assert_equal OK [$c set client:zero 1]
    $c close
}

test {CLIENT HELP lists the subcommands} {
    set help [r client help]
    assert_match {CLIENT <subcommand> *} [lindex $help 0]
    foreach sub {GETNAME ID INFO KILL LIST NO-EVICT PAUSE REPLY SETNAME UNPAUSE HELP} {
        assert {[lsearch -glob $help "$sub*"] >= 0} "$sub missing from CLIENT HELP"
    }
}

test {CLIENT GETREDIR and TRACKINGINFO report tracking off} {
    assert_equal -1 [r client getredir]
    assert_equal {flags off redirect -1 prefixes {}} [r client trackinginfo]
    set c [redis_client]
    $c hello 3
    set info [$c client trackinginfo]
    assert_equal {off} [dict get $info flags]
    assert_equal -1 [dict get $info redirect]
    $c close
}

}

start_server {tags {"client"}} {

test {CLIENT KILL TYPE normal kills every other normal connection} {
    set c1 [redis_client]
    set c2 [redis_client]
    $c1 ping
    $c2 ping
    assert_equal 0 [r client kill type pubsub]
    assert_equal 0 [r client kill type master]
    assert_equal 0 [r client kill type replica]
    assert_equal 0 [r client kill type slave]
    assert_equal 2 [r client kill type normal]
    assert_equal 1 [llength [client_lines [r client list]]]
    client_assert_closed $c1
    client_assert_closed $c2
    $c1 close
    $c2 close
}

test {CLIENT KILL USER default and LADDR match every connection} {
    set c1 [redis_client]
    set c2 [redis_client]
    $c1 ping
    $c2 ping
    assert_equal 2 [r client kill user default]
    client_assert_closed $c1
    set c3 [redis_client]
    set laddr [client_field [$c3 client info] laddr]
    assert_equal 1 [r client kill laddr $laddr]
    assert_equal 1 [llength [client_lines [r client list]]]
    $c1 close
    $c2 close
    $c3 close
}

}
