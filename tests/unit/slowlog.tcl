# slowlog.tcl: SLOWLOG GET, LEN, RESET and HELP.
#
# Covers which commands get logged (slowlog-log-slower-than: a threshold in
# microseconds, 0 logs everything, -1 nothing; refused commands never; EXEC
# not, the commands it runs yes; a blocking command once it is served, and
# not when it times out), the shape of an entry (id, unix time, duration,
# arguments, client address, client name) with Redis's truncation of long
# argument lists and long arguments, the redaction of secrets (AUTH, HELLO
# AUTH, CONFIG SET requirepass), slowlog-max-len and its lazy trimming,
# SLOWLOG GET's count argument and the errors of every subcommand.

# The entries of SLOWLOG GET whose command name (first argument) is cmd.
proc slowlog_entries_of {cmd {count -1}} {
    set out {}
    foreach e [r slowlog get $count] {
        if {[string equal -nocase [lindex $e 3 0] $cmd]} { lappend out $e }
    }
    return $out
}

start_server {tags {slowlog}} {
    test {SLOWLOG - the log starts empty and the default threshold ignores fast commands} {
        assert_equal 10000 [lindex [r config get slowlog-log-slower-than] 1]
        assert_equal 128 [lindex [r config get slowlog-max-len] 1]
        r slowlog reset
        r ping
        r set foo bar
        assert_equal 0 [r slowlog len]
        assert_equal {} [r slowlog get]
    }

    test {SLOWLOG - only commands slower than the threshold are logged} {
        r config set slowlog-log-slower-than 100000
        r slowlog reset
        r ping
        r debug sleep 0.2
        assert_equal 1 [r slowlog len]
        set e [lindex [r slowlog get] 0]
        assert_equal {debug sleep 0.2} [lindex $e 3]
        assert_morethan_equal [lindex $e 2] 200000
    }

    test {SLOWLOG - a threshold of 0 logs everything, -1 nothing} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        r ping
        r set a 1
        # SLOWLOG RESET itself, PING and SET.
        assert_equal 3 [r slowlog len]
        r config set slowlog-log-slower-than -1
        r slowlog reset
        r debug sleep 0.05
        r ping
        assert_equal 0 [r slowlog len]
        r config set slowlog-log-slower-than 0
    }

    test {SLOWLOG - entry layout: id, time, duration, arguments, address, name} {
        r config set slowlog-log-slower-than 0
        r client setname slowlog-client
        r slowlog reset
        set before [clock seconds]
        r set foo bar
        set e [lindex [slowlog_entries_of set] 0]
        assert_equal 6 [llength $e]
        lassign $e id time duration args addr name
        assert {[string is integer -strict $id]}
        assert_range $time [expr {$before - 2}] [expr {[clock seconds] + 2}]
        assert {[string is integer -strict $duration] && $duration >= 0}
        assert_equal {set foo bar} $args
        assert_match {127.0.0.1:*} $addr
        assert_match "*addr=$addr *" [r client info]
        assert_equal slowlog-client $name
        r client setname ""
    }

    test {SLOWLOG - the client name is the one after the command ran} {
        r slowlog reset
        r client setname renamed
        set e [lindex [slowlog_entries_of client] 0]
        assert_equal {client setname renamed} [lindex $e 3]
        assert_equal renamed [lindex $e 5]
        r client setname ""
        set e [lindex [slowlog_entries_of client] 0]
        assert_equal "" [lindex $e 5]
    }

    test {SLOWLOG - entries come newest first, ids keep growing across RESET} {
        r slowlog reset
        r set k1 v
        r set k2 v
        set entries [slowlog_entries_of set]
        assert_equal {set k2 v} [lindex $entries 0 3]
        assert_equal {set k1 v} [lindex $entries 1 3]
        set id2 [lindex $entries 0 0]
        assert_equal [expr {$id2 - 1}] [lindex $entries 1 0]
        r slowlog reset
        r set k3 v
        set id3 [lindex [slowlog_entries_of set] 0 0]
        assert_morethan $id3 $id2
    }

    test {SLOWLOG - RESET empties the log (and is logged itself)} {
        r set x y
        assert_morethan [r slowlog len] 1
        assert_equal OK [r slowlog reset]
        # Only SLOWLOG RESET, logged after it ran.
        set entries [r slowlog get]
        assert_equal 1 [llength $entries]
        assert_equal {slowlog reset} [lindex $entries 0 3]
    }

    test {SLOWLOG - GET count: default 10, -1 all, 0 none, more than there are} {
        r slowlog reset
        for {set i 0} {$i < 20} {incr i} { r ping }
        assert_equal 10 [llength [r slowlog get]]
        assert_equal 5 [llength [r slowlog get 5]]
        assert_equal 0 [llength [r slowlog get 0]]
        # 1 RESET + 20 PING + the three GETs above.
        assert_equal 24 [llength [r slowlog get -1]]
        assert_equal 25 [llength [r slowlog get 1000]]
    }

    test {SLOWLOG - GET count errors} {
        assert_error {ERR count should be greater than or equal to -1} {r slowlog get -2}
        assert_error {ERR count should be greater than or equal to -1} {r slowlog get abc}
        assert_error {ERR count should be greater than or equal to -1} {r slowlog get 1.5}
        assert_error {ERR count should be greater than or equal to -1} {r slowlog get 99999999999999999999}
        assert_error {ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.} {r slowlog get 1 2}
    }

    test {SLOWLOG - subcommand errors and HELP} {
        assert_error {ERR wrong number of arguments for 'slowlog' command} {r slowlog}
        assert_error {ERR unknown subcommand 'foo'. Try SLOWLOG HELP.} {r slowlog foo}
        assert_error {ERR wrong number of arguments for 'slowlog|len' command} {r slowlog len 1}
        assert_error {ERR wrong number of arguments for 'slowlog|reset' command} {r slowlog reset 1}
        assert_error {ERR wrong number of arguments for 'slowlog|help' command} {r slowlog help 1}
        set help [r slowlog help]
        assert_match {SLOWLOG <subcommand> *} [lindex $help 0]
        foreach sub {GET LEN RESET HELP} {
            assert {[lsearch -glob $help "$sub*"] >= 0}
        }
    }

    test {SLOWLOG - slowlog-max-len caps the log} {
        r config set slowlog-log-slower-than 0
        r config set slowlog-max-len 10
        for {set i 0} {$i < 50} {incr i} { r ping }
        assert_equal 10 [r slowlog len]
        r config set slowlog-max-len 0
        assert_equal 0 [r slowlog len]
        r config set slowlog-max-len 128
    }

    test {SLOWLOG - lowering slowlog-max-len trims only when the next entry is logged} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        for {set i 0} {$i < 5} {incr i} { r ping }
        r config set slowlog-log-slower-than -1
        r config set slowlog-max-len 2
        # RESET + 5 PING: nothing was added since the limit changed.
        assert_equal 6 [r slowlog len]
        r config set slowlog-log-slower-than 0
        assert_equal 2 [r slowlog len]
        r config set slowlog-max-len 128
    }

    test {SLOWLOG - long argument lists keep 31 arguments and say how many more} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        r del biglist l32 l33
        set args {}
        for {set i 0} {$i < 40} {incr i} { lappend args $i }
        r rpush biglist {*}$args
        set e [lindex [slowlog_entries_of rpush] 0]
        set logged [lindex $e 3]
        assert_equal 32 [llength $logged]
        assert_equal [concat rpush biglist [lrange $args 0 28]] [lrange $logged 0 30]
        assert_equal {... (11 more arguments)} [lindex $logged 31]
        # Exactly 32 arguments fit; 33 do not.
        r rpush l32 {*}[lrange $args 0 29]
        assert_equal 32 [llength [lindex [slowlog_entries_of rpush] 0 3]]
        assert_equal 29 [lindex [slowlog_entries_of rpush] 0 3 31]
        r rpush l33 {*}[lrange $args 0 30]
        assert_equal {... (2 more arguments)} [lindex [slowlog_entries_of rpush] 0 3 31]
    }

    test {SLOWLOG - long arguments keep 128 bytes and say how many more} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        r set k [string repeat x 128]
        assert_equal [string repeat x 128] [lindex [slowlog_entries_of set] 0 3 2]
        r set k [string repeat y 129]
        assert_equal "[string repeat y 128]... (1 more bytes)" [lindex [slowlog_entries_of set] 0 3 2]
        r set k [string repeat z 1000]
        assert_equal "[string repeat z 128]... (872 more bytes)" [lindex [slowlog_entries_of set] 0 3 2]
        # Long arguments and a long list at once.
        set args [list [string repeat a 200]]
        for {set i 0} {$i < 40} {incr i} { lappend args $i }
        r del biglist
        r rpush biglist {*}$args
        set logged [lindex [slowlog_entries_of rpush] 0 3]
        assert_equal "[string repeat a 128]... (72 more bytes)" [lindex $logged 2]
        assert_equal {... (12 more arguments)} [lindex $logged 31]
    }

    test {SLOWLOG - binary arguments are logged byte for byte} {
        r slowlog reset
        set v "a\x00b\r\n\xff\""
        r set bin $v
        assert_equal [list set bin $v] [lindex [slowlog_entries_of set] 0 3]
    }

    test {SLOWLOG - secrets are redacted: AUTH, HELLO AUTH, CONFIG SET requirepass} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        catch {r auth onlypass}
        catch {r auth someuser somepass}
        catch {r hello 2 auth default anything setname sl-name}
        r config set requirepass ""
        catch {r config set maxmemory 0 requirepass ""}
        assert_equal {auth (redacted)} [lindex [slowlog_entries_of auth] 1 3]
        assert_equal {auth (redacted) (redacted)} [lindex [slowlog_entries_of auth] 0 3]
        assert_equal {hello 2 auth (redacted) (redacted) setname sl-name} [lindex [slowlog_entries_of hello] 0 3]
        set configs [slowlog_entries_of config]
        assert_equal {config set maxmemory 0 requirepass (redacted)} [lindex $configs 0 3]
        assert_equal {config set requirepass (redacted)} [lindex $configs 1 3]
        r client setname ""
    }

    test {SLOWLOG - redaction follows how far the command parsed its arguments} {
        r slowlog reset
        # Too many arguments: AUTH refuses before looking at them.
        catch {r auth a b c}
        assert_equal {auth a b c} [lindex [slowlog_entries_of auth] 0 3]
        # HELLO stops at the bad option, before AUTH.
        catch {r hello 3 foo auth a b}
        assert_equal {hello 3 foo auth a b} [lindex [slowlog_entries_of hello] 0 3]
        # HELLO stops at the failed AUTH: the second pair is never read.
        catch {r hello 3 auth nosuchuser p auth c d}
        assert_equal {hello 3 auth (redacted) (redacted) auth c d} [lindex [slowlog_entries_of hello] 0 3]
        # An odd number of CONFIG SET arguments is a syntax error: nothing read.
        catch {r config set requirepass x maxmemory}
        assert_equal {config set requirepass x maxmemory} [lindex [slowlog_entries_of config] 0 3]
        # An unknown name does not stop the others from being redacted.
        catch {r config set foo bar requirepass x}
        assert_equal {config set foo bar requirepass (redacted)} [lindex [slowlog_entries_of config] 0 3]
    }

    test {SLOWLOG - refused commands are not logged} {
        r slowlog reset
        catch {r nosuchcommand a b}
        catch {r get}
        catch {r slowlog}
        set logged {}
        foreach e [r slowlog get -1] { lappend logged [lindex $e 3] }
        assert_equal {{slowlog reset}} $logged
    }

    test {SLOWLOG - EXEC is not logged, the commands it ran are} {
        r config set slowlog-log-slower-than 0
        r slowlog reset
        r multi
        r set tx 1
        r incr tx
        r exec
        set names {}
        foreach e [r slowlog get -1] { lappend names [lindex $e 3 0] }
        assert_equal {incr set multi slowlog} $names
    }

    test {SLOWLOG - AUTH inside a transaction is redacted too} {
        r slowlog reset
        r multi
        r auth secret
        catch {r exec}
        assert_equal {auth (redacted)} [lindex [slowlog_entries_of auth] 0 3]
    }

    test {SLOWLOG - a blocking command is logged when served, not while it waits} {
        r config set slowlog-log-slower-than 0
        r del blist
        r slowlog reset
        set rd [redis_deferring_client]
        $rd blpop blist 0
        wait_for_condition 50 20 {[s blocked_clients] == 1} else { fail "client did not block" }
        assert_equal {} [slowlog_entries_of blpop]
        r lpush blist x
        assert_equal {blist x} [$rd read]
        wait_for_condition 50 20 {[s blocked_clients] == 0} else { fail "client still blocked" }
        set entries [slowlog_entries_of blpop]
        assert_equal 1 [llength $entries]
        assert_equal {blpop blist 0} [lindex $entries 0 3]
        # Logged after the LPUSH that served it.
        assert_morethan [lindex $entries 0 0] [lindex [slowlog_entries_of lpush] 0 0]
        $rd close
    }

    test {SLOWLOG - a blocking command that times out is not logged} {
        r slowlog reset
        set rd [redis_deferring_client]
        $rd blpop nosuchlist 0.05
        assert_equal {} [$rd read]
        assert_equal {} [slowlog_entries_of blpop]
        $rd close
    }

    test {SLOWLOG - RESP3 replies have the same shape} {
        r slowlog reset
        r set r3 v
        r hello 3
        set e [lindex [slowlog_entries_of set] 0]
        assert_equal {set r3 v} [lindex $e 3]
        assert_equal 6 [llength $e]
        # RESET, SET, HELLO and the GET above.
        assert_equal 4 [r slowlog len]
        r hello 2
    }

    r config set slowlog-log-slower-than 10000
}
