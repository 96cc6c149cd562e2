# config.tcl: CONFIG GET / SET / REWRITE / RESETSTAT, start-up parsing of
# the config file and of --options, and the log line format.
#
# Everything here passes against Redis 7.0 too, except tests tagged
# ringkv-only (event-backend, appendonly refusing yes, directives ringkv
# refuses).  Run against Redis with --tags -ringkv-only.

# Runs the server binary with args, expecting it to exit by itself (a bad
# configuration).  Returns {exit-status output}, output being stdout and
# stderr together.  Callers add "--port 0" after the interesting part: if
# the bad line were accepted, the server would still exit at once ("not
# listening anywhere") instead of hanging the test.
proc config_run_server {args} {
    set code [catch {exec $::rkv::server_bin {*}$args 2>@1} out opts]
    if {$code == 0} { return [list 0 $out] }
    set ec [dict get $opts -errorcode]
    if {[lindex $ec 0] eq "CHILDSTATUS"} { return [list [lindex $ec 2] $out] }
    return [list -1 $out]
}

# Starts the server binary on conffile (plus args) on a free port, runs
# body with the variable named by clientvar holding a client, then shuts
# the server down.  start_server/restart_server regenerate their config file
# from the test's options, so reading a rewritten file back needs this.
proc config_with_server {conffile args_list clientvar body} {
    upvar 1 $clientvar c
    set port [::rkv::find_free_port]
    set dir [tmpdir cfgserver]
    set pid [exec $::rkv::server_bin $conffile --port $port --dir $dir {*}$args_list \
        > [file join $dir out] 2>@1 &]
    set c ""
    try {
        wait_for_condition 100 50 {[server_is_up 127.0.0.1 $port 1]} else {
            fail "server on $conffile did not start: [::rkv::read_file [file join $dir out]]"
        }
        set c [::rkv::client::open 127.0.0.1 $port]
        uplevel 1 $body
    } finally {
        if {$c ne ""} { catch {$c shutdown nosave} }
        catch {exec kill $pid}
    }
}

# CONFIG GET reply (flat name/value list) as a Tcl dict, checking that no
# name appears twice.
proc config_get_dict {args} {
    set reply [r config get {*}$args]
    set names [dict keys $reply]
    assert_equal [llength $reply] [expr {2 * [llength $names]}] "duplicate names in $reply"
    return $reply
}

start_server {tags {"config"}} {
    test {CONFIG GET of an exact name} {
        assert_equal {timeout 0} [r config get timeout]
        assert_equal {maxmemory-policy noeviction} [r config get maxmemory-policy]
    }

    test {CONFIG GET replies with the name as it was asked} {
        assert_equal {TIMEOUT 0} [r config get TIMEOUT]
        # The same directive asked twice, in two spellings, is one pair.
        assert_equal {TIMEOUT 0} [r config get TIMEOUT timeout]
    }

    test {CONFIG GET of an unknown name or a pattern matching nothing} {
        assert_equal {} [r config get no-such-directive]
        assert_equal {} [r config get no-such-*]
    }

    test {CONFIG GET with glob patterns} {
        set d [config_get_dict maxmemory*]
        foreach name {maxmemory maxmemory-policy maxmemory-samples} {
            assert [dict exists $d $name] "$name missing from $d"
        }
        foreach name [dict keys $d] { assert_match maxmemory* $name }
        set d [config_get_dict {lazyfree-lazy-user-???}]
        assert_equal {lazyfree-lazy-user-del} [lsort [dict keys $d]]
        set d [config_get_dict {*-max-listpack-[ev]*}]
        assert [dict exists $d hash-max-listpack-entries]
        assert [dict exists $d zset-max-listpack-value]
    }

    test {CONFIG GET is case-insensitive for patterns} {
        set d [config_get_dict MAXMEMORY-POL*]
        assert_equal {maxmemory-policy noeviction} $d
    }

    test {CONFIG GET with several patterns, overlapping ones counted once} {
        set d [config_get_dict timeout maxmemory-policy max*-policy tcp-*]
        assert_equal 0 [dict get $d timeout]
        assert_equal noeviction [dict get $d maxmemory-policy]
        assert_equal 300 [dict get $d tcp-keepalive]
        assert_equal 511 [dict get $d tcp-backlog]
    }

    test {CONFIG GET * lists every directive with a value} {
        set d [config_get_dict *]
        foreach name {port bind timeout tcp-keepalive maxclients databases loglevel
                      logfile hz dynamic-hz save dbfilename dir maxmemory
                      maxmemory-policy client-output-buffer-limit appendonly
                      requirepass protected-mode slowlog-max-len} {
            assert [dict exists $d $name] "$name missing from CONFIG GET *"
        }
    }

    test {CONFIG GET answers the old ziplist names as aliases} {
        r config set hash-max-listpack-entries 77
        assert_equal {hash-max-ziplist-entries 77} [r config get hash-max-ziplist-entries]
        r config set zset-max-ziplist-value 33
        assert_equal {zset-max-listpack-value 33} [r config get zset-max-listpack-value]
        r config set list-max-ziplist-size -3
        assert_equal {list-max-listpack-size -3} [r config get list-max-listpack-size]
        set d [config_get_dict *-ziplist-*]
        foreach name {hash-max-ziplist-entries hash-max-ziplist-value zset-max-ziplist-entries
                      zset-max-ziplist-value list-max-ziplist-size} {
            assert [dict exists $d $name] "$name missing from $d"
        }
        r config set hash-max-listpack-entries 512 zset-max-listpack-value 64 list-max-listpack-size -2
    }

    test {CONFIG GET formats: defaults} {
        assert_equal {save {}} [r config get save]
        assert_equal {client-output-buffer-limit {normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60}} \
            [r config get client-output-buffer-limit]
        assert_equal {proto-max-bulk-len 536870912} [r config get proto-max-bulk-len]
        assert_equal {client-query-buffer-limit 1073741824} [r config get client-query-buffer-limit]
        assert_equal {protected-mode yes} [r config get protected-mode]
        assert_equal {appendonly no} [r config get appendonly]
        assert_equal {databases 16} [r config get databases]
        assert_equal {dbfilename dump.rdb} [r config get dbfilename]
        assert_equal {bind 127.0.0.1} [r config get bind]
        assert_equal {requirepass {}} [r config get requirepass]
        assert_equal {unixsocketperm 0} [r config get unixsocketperm]
    }

    test {CONFIG GET dir is the absolute working directory} {
        set dir [lindex [r config get dir] 1]
        assert_equal absolute [file pathtype $dir]
        assert_equal [file normalize [srv data_dir]] [file normalize $dir]
    }

    test {CONFIG GET replies with a map in RESP3} {
        r hello 3
        r readraw 1
        set lines [list [r config get timeout] [r read] [r read] [r read] [r read]]
        r readraw 0
        r hello 2
        assert_equal {%1 {$7} timeout {$1} 0} $lines
        r readraw 1
        set lines [list [r config get timeout] [r read] [r read] [r read] [r read]]
        r readraw 0
        assert_equal {*2 {$7} timeout {$1} 0} $lines
    }

    test {CONFIG SET of a bool} {
        assert_equal OK [r config set lazyfree-lazy-user-del yes]
        assert_equal {lazyfree-lazy-user-del yes} [r config get lazyfree-lazy-user-del]
        assert_equal OK [r config set lazyfree-lazy-user-del NO]
        assert_equal {lazyfree-lazy-user-del no} [r config get lazyfree-lazy-user-del]
        assert_error {ERR CONFIG SET failed (possibly related to argument 'lazyfree-lazy-user-del') - argument must be 'yes' or 'no'} \
            {r config set lazyfree-lazy-user-del maybe}
        assert_error {*argument must be 'yes' or 'no'} {r config set protected-mode 1}
    }

    test {CONFIG SET of an integer} {
        assert_equal OK [r config set timeout 120]
        assert_equal {timeout 120} [r config get timeout]
        assert_equal OK [r config set timeout 0]
        assert_error {ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't be parsed into an integer} \
            {r config set timeout abc}
        # Integers are strict: no spaces, signs, leading zeros or units.
        foreach bad {{ 5} +5 05 5.0 1k {}} {
            assert_error "*argument couldn't be parsed into an integer" [list r config set timeout $bad]
        }
        assert_equal {timeout 0} [r config get timeout]
    }

    test {CONFIG SET of an integer out of range} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'active-expire-effort') - argument must be between 1 and 10 inclusive} \
            {r config set active-expire-effort 11}
        assert_error {*'tcp-keepalive') - argument must be between 0 and 2147483647 inclusive} \
            {r config set tcp-keepalive -1}
        assert_error {*'maxclients') - argument must be between 1 and 4294967295 inclusive} \
            {r config set maxclients 0}
        assert_error {*'slowlog-log-slower-than') - argument must be between -1 and 9223372036854775807 inclusive} \
            {r config set slowlog-log-slower-than -2}
        assert_error {*'maxmemory-samples') - argument must be between 1 and 2147483647 inclusive} \
            {r config set maxmemory-samples 0}
        assert_equal OK [r config set slowlog-log-slower-than -1]
        assert_equal {slowlog-log-slower-than -1} [r config get slowlog-log-slower-than]
        r config set slowlog-log-slower-than 10000
        assert_equal OK [r config set list-max-listpack-size -5]
        r config set list-max-listpack-size -2
    }

    test {CONFIG SET hz clamps to 1..500} {
        assert_equal OK [r config set hz 1000]
        assert_equal {hz 500} [r config get hz]
        assert_equal OK [r config set hz 0]
        assert_equal {hz 1} [r config get hz]
        assert_error {*'hz') - argument must be between 0 and 2147483647 inclusive} {r config set hz -1}
        r config set hz 10
        assert_equal {hz 10} [r config get hz]
    }

    test {CONFIG SET of a memory value accepts units, CONFIG GET shows bytes} {
        foreach {in out} {1mb 1048576 1MB 1048576 2k 2000 3kb 3072 1g 1000000000
                          1gb 1073741824 100 100 5b 5 0 0} {
            assert_equal OK [r config set maxmemory $in]
            assert_equal [list maxmemory $out] [r config get maxmemory]
        }
        assert_error {ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value} \
            {r config set maxmemory 10xb}
        foreach bad {-1 1.5gb 0x10 { 1} 1tb} {
            assert_error "*argument must be a memory value" [list r config set maxmemory $bad]
        }
        assert_equal {maxmemory 0} [r config get maxmemory]
    }

    test {CONFIG SET of a memory value out of range} {
        assert_error {*'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive} \
            {r config set proto-max-bulk-len 100}
        assert_error {*'client-query-buffer-limit') - argument must be between 1048576 and 9223372036854775807 inclusive} \
            {r config set client-query-buffer-limit 1kb}
        assert_equal OK [r config set proto-max-bulk-len 2g]
        assert_equal {proto-max-bulk-len 2000000000} [r config get proto-max-bulk-len]
        r config set proto-max-bulk-len 512mb
        assert_equal OK [r config set hash-max-listpack-value 1kb]
        assert_equal {hash-max-listpack-value 1024} [r config get hash-max-listpack-value]
        r config set hash-max-listpack-value 64
        # Counts are plain integers, not memory values.
        assert_error "*'set-max-intset-entries') - argument couldn't be parsed into an integer" \
            {r config set set-max-intset-entries 1kb}
    }

    test {CONFIG SET of an enum} {
        assert_equal OK [r config set maxmemory-policy ALLKEYS-LRU]
        assert_equal {maxmemory-policy allkeys-lru} [r config get maxmemory-policy]
        assert_error {ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction} \
            {r config set maxmemory-policy lru}
        r config set maxmemory-policy noeviction
        assert_error {*'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning} \
            {r config set loglevel loud}
        set old [lindex [r config get loglevel] 1]
        assert_equal OK [r config set loglevel warning]
        assert_equal {loglevel warning} [r config get loglevel]
        r config set loglevel $old
    }

    test {CONFIG SET of a string} {
        assert_equal OK [r config set requirepass "s3cret pass"]
        assert_equal {requirepass {s3cret pass}} [r config get requirepass]
        assert_equal OK [r auth "s3cret pass"]
        assert_equal OK [r config set requirepass ""]
        assert_equal {requirepass {}} [r config get requirepass]
    }

    test {CONFIG SET save} {
        assert_equal OK [r config set save "100 10 20 5"]
        assert_equal {save {100 10 20 5}} [r config get save]
        assert_equal OK [r config set save ""]
        assert_equal {save {}} [r config get save]
        foreach bad {abc {1 2 3} {-1 2} {1 -2} {a 1} { } {1 2 }} {
            assert_error {ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters} \
                [list r config set save $bad]
        }
        assert_equal {save {}} [r config get save]
    }

    test {CONFIG SET client-output-buffer-limit} {
        assert_equal OK [r config set client-output-buffer-limit "replica 1 2 3"]
        assert_equal {client-output-buffer-limit {normal 0 0 0 slave 1 2 3 pubsub 33554432 8388608 60}} \
            [r config get client-output-buffer-limit]
        assert_equal OK [r config set client-output-buffer-limit "normal 1mb 2kb 3 pubsub 0 0 0"]
        assert_equal {client-output-buffer-limit {normal 1048576 2048 3 slave 1 2 3 pubsub 0 0 0}} \
            [r config get client-output-buffer-limit]
        assert_error {*'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.} \
            {r config set client-output-buffer-limit "master 0 0 0"}
        assert_error {*'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration.} \
            {r config set client-output-buffer-limit "normal 1 2"}
        foreach bad {{normal -1 0 0} {normal 1x 0 0} {normal 0 0 -1}} {
            assert_error {*Error in hard, soft or soft_seconds setting in buffer limit configuration.} \
                [list r config set client-output-buffer-limit $bad]
        }
        # One bad group refuses the whole value.
        assert_error {*Invalid client class*} \
            {r config set client-output-buffer-limit "normal 5 5 5 bogus 0 0 0"}
        assert_equal {client-output-buffer-limit {normal 1048576 2048 3 slave 1 2 3 pubsub 0 0 0}} \
            [r config get client-output-buffer-limit]
        r config set client-output-buffer-limit "normal 0 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60"
    }

    test {CONFIG SET unknown directive} {
        assert_error {ERR Unknown option or number of arguments for CONFIG SET - 'no-such-thing'} \
            {r config set no-such-thing 1}
    }

    test {CONFIG SET arity and pairing errors} {
        assert_error {ERR wrong number of arguments for 'config|set' command} {r config set timeout}
        assert_error {ERR syntax error} {r config set timeout 10 maxmemory}
    }

    test {CONFIG SET refuses immutable directives} {
        foreach {name value} {databases 3 daemonize yes tcp-backlog 10 unixsocket /tmp/x
                              logfile /tmp/x pidfile /tmp/x supervised no syslog-enabled yes
                              always-show-logo yes set-proc-title no rdbchecksum no
                              unixsocketperm 700 enable-protected-configs yes
                              enable-debug-command yes enable-module-command yes} {
            assert_error "ERR CONFIG SET failed (possibly related to argument '$name') - can't set immutable config" \
                [list r config set $name $value]
        }
    }

    test {CONFIG SET refuses protected directives unless enabled} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config} \
            {r config set dir /tmp}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config} \
            {r config set dbfilename other.rdb}
        assert_equal {dbfilename dump.rdb} [r config get dbfilename]
    }

    test {CONFIG SET with the same directive twice} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'timeout') - duplicate parameter} \
            {r config set timeout 1 timeout 2}
        assert_error {*(possibly related to argument 'TIMEOUT') - duplicate parameter} \
            {r config set timeout 1 maxmemory 1mb TIMEOUT 2}
        assert_equal {timeout 0} [r config get timeout]
        assert_equal {maxmemory 0} [r config get maxmemory]
    }

    test {CONFIG SET errors: the first refused pair decides, unknown names included} {
        assert_error {*Unknown option*'foo'} {r config set timeout 5 foo bar maxmemory-policy bad}
        assert_error {*'databases') - can't set immutable config} {r config set timeout 5 databases 1 foo bar}
        # Value errors are found after names: an unknown name wins.
        assert_error {*Unknown option*'foo'} {r config set timeout abc foo bar}
        assert_equal {timeout 0} [r config get timeout]
    }

    test {CONFIG SET of several pairs is atomic} {
        assert_equal OK [r config set timeout 7 maxmemory 2mb maxmemory-policy allkeys-lru]
        assert_equal {timeout 7} [r config get timeout]
        assert_equal {maxmemory 2097152} [r config get maxmemory]
        assert_equal {maxmemory-policy allkeys-lru} [r config get maxmemory-policy]
        # A bad value anywhere leaves every directive as it was, including
        # those before it in the list.
        assert_error {*'maxmemory-policy') - argument(s) must be one of the following*} \
            {r config set timeout 8 maxmemory 3mb maxmemory-policy bad}
        assert_error {*'hz') - argument couldn't be parsed into an integer} \
            {r config set save "1 1" hz abc}
        assert_equal {timeout 7} [r config get timeout]
        assert_equal {maxmemory 2097152} [r config get maxmemory]
        assert_equal {maxmemory-policy allkeys-lru} [r config get maxmemory-policy]
        assert_equal {save {}} [r config get save]
        assert_equal {hz 10} [r config get hz]
        r config set timeout 0 maxmemory 0 maxmemory-policy noeviction
    }

    test {CONFIG SET through an alias reports the alias} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'hash-max-ziplist-entries') - argument couldn't be parsed into an integer} \
            {r config set hash-max-ziplist-entries abc}
        # A name and its alias are different spellings: the last one wins.
        assert_equal OK [r config set hash-max-ziplist-entries 100 hash-max-listpack-entries 200]
        assert_equal {hash-max-listpack-entries 200} [r config get hash-max-listpack-entries]
        r config set hash-max-listpack-entries 512
    }

    test {CONFIG SET appendonly no is accepted} {
        assert_equal OK [r config set appendonly no]
        assert_equal {appendonly no} [r config get appendonly]
    }

    test {CONFIG SET appendonly yes is refused: no append-only file} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'appendonly') - *append-only*} \
            {r config set appendonly yes}
        assert_equal {appendonly no} [r config get appendonly]
    } {ringkv-only}

    test {event-backend shows the backend in use and is immutable} {
        set backend [lindex [r config get event-backend] 1]
        assert [expr {$backend in {epoll kqueue poll select}}] "backend: $backend"
        assert_error {*'event-backend') - can't set immutable config} {r config set event-backend select}
    } {ringkv-only}

    test {CONFIG RESETSTAT} {
        r set foo bar
        r get foo
        catch {r incr foo}
        assert_match {*total_commands_processed:*} [r info stats]
        assert_equal OK [r config resetstat]
        set info [r info stats]
        assert_match "*keyspace_hits:0\r\n*" $info
        assert_match "*total_error_replies:0\r\n*" $info
        assert_no_match {*cmdstat_get:*} [r info commandstats]
    }

    test {CONFIG HELP} {
        set help [r config help]
        assert_match {CONFIG <subcommand> *} [lindex $help 0]
        foreach sub {GET SET RESETSTAT REWRITE HELP} {
            assert [expr {[lsearch -glob $help "$sub*"] >= 0}] "$sub missing from CONFIG HELP"
        }
    }

    test {CONFIG with an unknown subcommand} {
        assert_error {ERR unknown subcommand 'foo'. Try CONFIG HELP.} {r config foo}
    }

    test {Log lines follow the Redis format} {
        set lines [split [::rkv::read_file [srv stdout]] "\n"]
        set pattern {^[0-9]+:[CM] [0-9][0-9] [A-Z][a-z][a-z] [0-9]{4} [0-9][0-9]:[0-9][0-9]:[0-9][0-9]\.[0-9]{3} [.*#-] .}
        set matched 0
        foreach line $lines {
            if {[regexp $pattern $line]} { incr matched }
        }
        assert_morethan $matched 0
        assert [regexp {^[0-9]+:M .* \* Ready to accept connections} [lsearch -inline -glob $lines {*Ready to accept*}]]
    }

    test {loglevel filters what is logged} {
        # New connections are logged at verbose level.
        set old [lindex [r config get loglevel] 1]
        r config set loglevel notice
        set before [llength [split [::rkv::read_file [srv stdout]] "\n"]]
        set c [redis_client]
        $c ping
        $c close
        r config set loglevel verbose
        set lines [split [::rkv::read_file [srv stdout]] "\n"]
        assert_equal {} [lsearch -inline -glob [lrange $lines [expr {$before - 1}] end] {*Accepted*}]
        set c [redis_client]
        $c ping
        $c close
        wait_for_log_messages 0 {{* - Accepted *}} [expr {$before - 1}]
        r config set loglevel $old
    }
}

start_server {tags {"config"} overrides {enable-protected-configs yes}} {
    test {CONFIG SET dir and dbfilename when protected configs are enabled} {
        set old [lindex [r config get dir] 1]
        set sub [file join [srv dir] subdir]
        file mkdir $sub
        assert_equal OK [r config set dir $sub]
        assert_equal [list dir [file normalize $sub]] [r config get dir]
        assert_error {ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory} \
            {r config set dir /no/such/directory}
        assert_equal [list dir [file normalize $sub]] [r config get dir]
        assert_equal OK [r config set dir $old]
        assert_equal OK [r config set dbfilename other.rdb]
        assert_equal {dbfilename other.rdb} [r config get dbfilename]
        assert_error {ERR CONFIG SET failed (possibly related to argument 'dbfilename') - dbfilename can't be a path, just a filename} \
            {r config set dbfilename sub/other.rdb}
        r config set dbfilename dump.rdb
    }
}

start_server {tags {"config"} overrides {enable-protected-configs local}} {
    test {enable-protected-configs local allows loopback clients} {
        assert_equal {enable-protected-configs local} [r config get enable-protected-configs]
        assert_equal OK [r config set dbfilename other.rdb]
        r config set dbfilename dump.rdb
    }
}

start_server {tags {"config"} args {--maxmemory-policy allkeys-lfu --hz 20 --save {100 10} --slowlog-max-len 64}} {
    test {--directive value on the command line} {
        assert_equal {maxmemory-policy allkeys-lfu} [r config get maxmemory-policy]
        assert_equal {hz 20} [r config get hz]
        assert_equal {slowlog-max-len 64} [r config get slowlog-max-len]
        # One quoted argument holding spaces is split like a CONFIG SET value.
        assert_equal {save {100 10}} [r config get save]
    }
}

start_server {tags {"config"} args {--save 200 20 300 30 --client-output-buffer-limit pubsub 1mb 2mb 3}} {
    test {A command-line option takes several words} {
        assert_equal {save {200 20 300 30}} [r config get save]
        assert_equal {client-output-buffer-limit {normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2097152 3}} \
            [r config get client-output-buffer-limit]
    }
}

start_server {tags {"config"} args {--save --maxmemory 3mb}} {
    test {A bare --save followed by another option means save ""} {
        assert_equal {save {}} [r config get save]
        assert_equal {maxmemory 3145728} [r config get maxmemory]
    }
}

start_server {tags {"config"} config_lines {{save 10 1} {save 20 2} {hash-max-ziplist-value 99}
                                             {client-output-buffer-limit normal 1 2 3}
                                             {client-output-buffer-limit pubsub 4 5 6}}} {
    test {Config file: save lines add up, obuf lines set one class each, aliases work} {
        assert_equal {save {10 1 20 2}} [r config get save]
        assert_equal {hash-max-listpack-value 99} [r config get hash-max-listpack-value]
        assert_equal {client-output-buffer-limit {normal 1 2 3 slave 268435456 67108864 60 pubsub 4 5 6}} \
            [r config get client-output-buffer-limit]
    }
}

start_server {tags {"config"} config_lines {{# a comment that rewrite keeps}
                                             {hash-max-ziplist-entries 100}
                                             {timeout 30}}} {
    test {CONFIG REWRITE writes changed values back into the file} {
        r config set maxmemory 3mb maxmemory-policy allkeys-lru timeout 40 \
            save "100 5 200 6" hash-max-listpack-entries 99 \
            client-output-buffer-limit "pubsub 1mb 2mb 3" slowlog-max-len 200
        assert_equal OK [r config rewrite]
        set text [::rkv::read_file [srv config_file]]
        set lines [split $text "\n"]
        # Comments stay; changed directives replace their old lines in
        # place (aliases become the current name); new ones go at the end,
        # memory with units.
        assert [expr {[lsearch -exact $lines {# a comment that rewrite keeps}] >= 0}] $text
        assert [expr {[lsearch -exact $lines {timeout 40}] >= 0}] $text
        assert [expr {[lsearch -exact $lines {timeout 30}] < 0}] $text
        assert [expr {[lsearch -exact $lines {hash-max-listpack-entries 99}] >= 0}] $text
        assert [expr {[lsearch -glob $lines {hash-max-ziplist-entries*}] < 0}] $text
        assert [expr {[lsearch -exact $lines {maxmemory 3mb}] >= 0}] $text
        assert [expr {[lsearch -exact $lines {maxmemory-policy allkeys-lru}] >= 0}] $text
        assert [expr {[lsearch -exact $lines {save 100 5}] >= 0}] $text
        assert [expr {[lsearch -exact $lines {save 200 6}] >= 0}] $text
        assert [expr {[lsearch -exact $lines {save ""}] < 0}] $text
        assert [expr {[lsearch -exact $lines {client-output-buffer-limit pubsub 1mb 2mb 3}] >= 0}] $text
        assert [expr {[lsearch -exact $lines {# Generated by CONFIG REWRITE}] >= 0}] $text
        # Directives at their default and absent from the file stay absent.
        assert [expr {[lsearch -glob $lines {tcp-keepalive*}] < 0}] $text
        assert [expr {[lsearch -glob $lines {client-output-buffer-limit normal*}] < 0}] $text
    }

    test {CONFIG REWRITE round trip: a restarted server has the rewritten values} {
        config_with_server [srv config_file] {} c {
            assert_equal {maxmemory 3145728} [$c config get maxmemory]
            assert_equal {maxmemory-policy allkeys-lru} [$c config get maxmemory-policy]
            assert_equal {timeout 40} [$c config get timeout]
            assert_equal {save {100 5 200 6}} [$c config get save]
            assert_equal {hash-max-listpack-entries 99} [$c config get hash-max-listpack-entries]
            assert_equal {slowlog-max-len 200} [$c config get slowlog-max-len]
            assert_equal {client-output-buffer-limit {normal 0 0 0 slave 268435456 67108864 60 pubsub 1048576 2097152 3}} \
                [$c config get client-output-buffer-limit]
        }
    }

    test {CONFIG REWRITE of save "" and values back at their default} {
        r config set save "" timeout 0 maxmemory-policy noeviction
        assert_equal OK [r config rewrite]
        set lines [split [::rkv::read_file [srv config_file]] "\n"]
        # save "" must be written, or the next start would use the defaults.
        assert [expr {[lsearch -exact $lines {save ""}] >= 0}] $lines
        assert [expr {[lsearch -glob $lines {save [0-9]*}] < 0}] $lines
        # A directive already in the file keeps a line, now with the default.
        assert [expr {[lsearch -exact $lines {timeout 0}] >= 0}] $lines
        config_with_server [srv config_file] {} c {
            assert_equal {save {}} [$c config get save]
            assert_equal {timeout 0} [$c config get timeout]
            assert_equal {maxmemory-policy noeviction} [$c config get maxmemory-policy]
            assert_equal {maxmemory 3145728} [$c config get maxmemory]
        }
    }

    test {CONFIG REWRITE keeps the file's permissions} {
        set path [srv config_file]
        file attributes $path -permissions 0640
        assert_equal OK [r config rewrite]
        assert_equal 00640 [file attributes $path -permissions]
    } {ringkv-only}
}

tags {"config"} {
    test {Unknown directive on the command line fails at start-up with its line} {
        lassign [config_run_server --no-such-directive 1 --port 0] status out
        assert_equal 1 $status
        assert_match {*FATAL CONFIG FILE ERROR (Redis 7.0.15)*} $out
        assert_match {*Reading the configuration file, at line 2*} $out
        assert_match "*>>> 'no-such-directive \"1\"'*" $out
        assert_match {*Bad directive or wrong number of arguments*} $out
    }

    test {Bad values at start-up report the reason} {
        lassign [config_run_server --port 0 --hz abc] status out
        assert_equal 1 $status
        assert_match {*at line 3*>>> 'hz "abc"'*argument couldn't be parsed into an integer*} $out
        lassign [config_run_server --maxmemory-policy foo --port 0] status out
        assert_equal 1 $status
        assert_match {*argument(s) must be one of the following: volatile-lru, *} $out
        lassign [config_run_server --unixsocketperm 999 --port 0] status out
        assert_match {*argument couldn't be parsed as an octal number*} $out
        lassign [config_run_server --unixsocketperm 1777 --port 0] status out
        assert_match {*argument must be between 0 and 777 inclusive*} $out
        lassign [config_run_server --enable-protected-configs maybe --port 0] status out
        assert_match {*argument(s) must be one of the following: no, yes, local*} $out
        lassign [config_run_server --dir /no/such/directory --port 0] status out
        assert_match {*No such file or directory*} $out
        lassign [config_run_server --dbfilename a/b --port 0] status out
        assert_match {*dbfilename can't be a path, just a filename*} $out
        lassign [config_run_server --bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 --port 0] status out
        assert_match {*Too many bind addresses specified.*} $out
    }

    test {Config file errors give the file's line number} {
        set path [file join [tmpdir config] bad.conf]
        ::rkv::write_file $path "# comment\n\nport 0\nsave 1 2 3\n"
        lassign [config_run_server $path] status out
        assert_equal 1 $status
        assert_match {*Reading the configuration file, at line 4*>>> 'save 1 2 3'*Invalid save parameters*} $out
        ::rkv::write_file $path "port 0\ntimeout\n"
        lassign [config_run_server $path] status out
        assert_match {*at line 2*>>> 'timeout'*wrong number of arguments*} $out
        ::rkv::write_file $path "port 0\ntimeout \"5\n"
        lassign [config_run_server $path] status out
        assert_match {*at line 2*Unbalanced quotes in configuration line*} $out
    }

    test {A missing config file is a fatal error} {
        lassign [config_run_server /no/such/file.conf] status out
        assert_equal 1 $status
        assert_match {*Fatal error, can't open config file '/no/such/file.conf': No such file or directory*} $out
    }

    test {Directives ringkv does not implement are refused} {
        foreach {name value} {io-threads 4 cluster-enabled yes replicaof {127.0.0.1 6380}} {
            lassign [config_run_server --$name {*}$value --port 0] status out
            assert_equal 1 $status "$name: $out"
            assert_match {*Bad directive or wrong number of arguments*} $out
        }
        lassign [config_run_server --appendonly yes --port 0] status out
        assert_equal 1 $status
        assert_match {*append-only*} $out
    } {ringkv-only}

    test {event-backend chooses the event loop backend} {
        lassign [config_run_server --event-backend nope --port 0] status out
        assert_equal 1 $status
        assert_match {*argument(s) must be one of the following: *poll*} $out
    } {ringkv-only}
}

start_server {tags {"config" "ringkv-only"} args {--event-backend poll}} {
    test {event-backend poll is used when asked for} {
        assert_equal {event-backend poll} [r config get event-backend]
        assert_equal PONG [r ping]
    }
}

start_server {tags {"config"}} {
    test {The shipped redis.conf loads and gives the built-in defaults} {
        set defaults [config_get_dict *]
        config_with_server [file join $::rkv_root redis.conf] {} c {
            set shipped [$c config get *]
            assert_equal {save {3600 1 300 100 60 10000}} [$c config get save]
        }
        # The test server runs with default.conf; compare only what it does
        # not override.
        foreach name {bind port dir save loglevel enable-debug-command} {
            dict unset defaults $name
            dict unset shipped $name
        }
        foreach name [dict keys $defaults] {
            assert_equal [dict get $defaults $name] [dict get $shipped $name] "$name differs"
        }
    } {ringkv-only}
}

# Debian's stock /etc/redis/redis.conf, with only what cannot work in a test
# (daemonizing, system paths, systemd) overridden on the command line.
if {[file readable /etc/redis/redis.conf]} {
    start_server {tags {"config"}} {
        test {Debian's stock redis.conf loads} {
            set dir [tmpdir stockconf]
            set conf [file join $dir redis.conf]
            file copy -force /etc/redis/redis.conf $conf
            config_with_server $conf [list --daemonize no --logfile {} --pidfile [file join $dir x.pid] \
                                       --bind 127.0.0.1 --supervised no] c {
                assert_equal PONG [$c ping]
                foreach {name value} {
                    appendfsync everysec appendfilename appendonly.aof appenddirname appendonlydir
                    auto-aof-rewrite-min-size 67108864 aof-use-rdb-preamble yes
                    replica-read-only yes replica-priority 100 repl-diskless-load disabled
                    repl-diskless-sync-delay 5 rdb-del-sync-files no
                    hll-sparse-max-bytes 3000 stream-node-max-bytes 4096 stream-node-max-entries 100
                    acllog-max-len 128 notify-keyspace-events {} activerehashing yes
                    jemalloc-bg-thread yes disable-thp yes oom-score-adj no
                    oom-score-adj-values {0 200 800} rdb-save-incremental-fsync yes
                    proc-title-template {{title} {listen-addr} {server-mode}}
                } {
                    assert_equal [list $name $value] [$c config get $name]
                }
                assert_equal OK [$c set k v]
                assert_equal v [$c get k]
            }
        }
    }
}

start_server {tags {"config"}} {
    test {notify-keyspace-events validates class letters like Redis} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.} \
            {r config set notify-keyspace-events Q}
        lassign [config_run_server --notify-keyspace-events gQ --port 0] status out
        assert_equal 1 $status
        assert_match {*Invalid event class character. Use 'Ag$lshzxeKEtmdn'.*} $out
        # Without K or E nothing is published (in Redis too): accepted, and
        # shown in Redis's canonical form.
        r config set notify-keyspace-events {lsg}
        assert_equal {notify-keyspace-events gls} [r config get notify-keyspace-events]
        r config set notify-keyspace-events {g$lshzxetd}
        assert_equal {notify-keyspace-events A} [r config get notify-keyspace-events]
        r config set notify-keyspace-events {}
        assert_equal {notify-keyspace-events {}} [r config get notify-keyspace-events]
    }

    test {oom-score-adj and oom-score-adj-values validation} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'oom-score-adj') - argument(s) must be one of the following: no, yes, relative, absolute} \
            {r config set oom-score-adj maybe}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - wrong number of arguments} \
            {r config set oom-score-adj-values "1 2"}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'oom-score-adj-values') - Invalid oom-score-adj-values, elements must be between -2000 and 2000.} \
            {r config set oom-score-adj-values "1 2 3000"}
        assert_error {*Invalid oom-score-adj-values*} {r config set oom-score-adj-values "1 2 x"}
        assert_equal {oom-score-adj-values {0 200 800}} [r config get oom-score-adj-values]
    }

    test {oom-score-adj writes the process's OOM score} {
        set path /proc/[srv 0 pid]/oom_score_adj
        if {![file readable $path]} { return }
        set base [string trim [::rkv::read_file $path]]
        r config set oom-score-adj-values "123 200 800" oom-score-adj absolute
        assert_equal 123 [string trim [::rkv::read_file $path]]
        r config set oom-score-adj relative
        assert_equal [expr {min(1000, 123 + $base)}] [string trim [::rkv::read_file $path]]
        r config set oom-score-adj no
        assert_equal $base [string trim [::rkv::read_file $path]]
        r config set oom-score-adj-values "0 200 800"
    }

    test {proc-title-template validation and effect} {
        foreach bad [list {{foo}} "\{title" {} {{}} {  {title}  } {{server-mode}}] {
            assert_error {ERR CONFIG SET failed (possibly related to argument 'proc-title-template') - template format is invalid or contains unknown variables} \
                [list r config set proc-title-template $bad]
        }
        set port [srv 0 port]
        r config set proc-title-template {{title} at{port}x {{y}}}
        assert_equal {proc-title-template {{title} at{port}x {{y}}}} [r config get proc-title-template]
        set path /proc/[srv 0 pid]/cmdline
        if {[file readable $path]} {
            set title [lindex [split [::rkv::read_file $path] "\0"] 0]
            assert_match "* at${port}x \{y\}\}" $title
        }
        r config set proc-title-template {{title} {listen-addr} {server-mode}}
    }

    test {Immutable process directives and data-type knob bounds} {
        foreach {name value} {disable-thp no set-proc-title no appendfilename x appenddirname x} {
            assert_error "ERR CONFIG SET failed (possibly related to argument '$name') - can't set immutable config" \
                [list r config set $name $value]
        }
        assert_error {ERR CONFIG SET failed (possibly related to argument 'jemalloc-bg-thread') - argument must be 'yes' or 'no'} \
            {r config set jemalloc-bg-thread maybe}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'hll-sparse-max-bytes') - argument must be a memory value} \
            {r config set hll-sparse-max-bytes -1}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'stream-node-max-entries') - argument must be between 0 and 9223372036854775807 inclusive} \
            {r config set stream-node-max-entries -1}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'acllog-max-len') - argument must be between 0 and 9223372036854775807 inclusive} \
            {r config set acllog-max-len -1}
        r config set hll-sparse-max-bytes 1kb stream-node-max-bytes 8kb acllog-max-len 5
        assert_equal {hll-sparse-max-bytes 1024} [r config get hll-sparse-max-bytes]
        assert_equal {stream-node-max-bytes 8192} [r config get stream-node-max-bytes]
        assert_equal {acllog-max-len 5} [r config get acllog-max-len]
        r config set hll-sparse-max-bytes 3000 stream-node-max-bytes 4096 acllog-max-len 128
    }

    test {AOF and replication directives keep Redis's types and bounds} {
        assert_error {ERR CONFIG SET failed (possibly related to argument 'appendfsync') - argument(s) must be one of the following: everysec, always, no} \
            {r config set appendfsync sometimes}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'repl-diskless-load') - argument(s) must be one of the following: disabled, on-empty-db, swapdb} \
            {r config set repl-diskless-load x}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'replica-priority') - argument must be between 0 and 2147483647 inclusive} \
            {r config set replica-priority -1}
        assert_error {ERR CONFIG SET failed (possibly related to argument 'auto-aof-rewrite-min-size') - argument must be a memory value} \
            {r config set auto-aof-rewrite-min-size 1x}
        lassign [config_run_server --appendfilename a/b --port 0] status out
        assert_match {*appendfilename can't be a path, just a filename*} $out
        lassign [config_run_server --appenddirname {} --port 0] status out
        assert_match {*appenddirname can't be empty*} $out
        r config set appendfsync always slave-priority 7
        assert_equal {appendfsync always} [r config get appendfsync]
        assert_equal {replica-priority 7} [r config get replica-priority]
        r config set appendfsync everysec replica-priority 100
    }

    test {disable-thp opts out of huge pages when the system forces them} {
        set path /proc/[srv 0 pid]/status
        set sys /sys/kernel/mm/transparent_hugepage/enabled
        if {[file readable $path] && [file readable $sys] &&
            [regexp {THP_enabled:\s*(\d)} [::rkv::read_file $path] -> thp]} {
            set always [string match {*\[always\]*} [::rkv::read_file $sys]]
            assert_equal [expr {!$always}] $thp
        }
    }
}

start_server {tags {"config" "ringkv-only"} args {--replica-read-only no --appendfsync always}} {
    test {Compatibility-only directives set away from their default are logged} {
        wait_for_log_messages 0 {"*Accepted for compatibility, setting ignored:*appendfsync: ringkv has no AOF*replica-read-only: ringkv has no replication*"}
        assert_equal {replica-read-only no} [r config get replica-read-only]
    }
}
