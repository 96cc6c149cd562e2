# server.tcl: starting, watching and stopping the servers under test.
#
# What it owns: the stack of servers opened by nested `start_server` blocks,
# each server's scratch directory under tests/tmp/, its process, its default
# client (`r`), crash detection, and the safety nets that make sure no server
# outlives the run that started it.
#
# Why it is built this way:
#   * A server is started through a tiny `sh` wrapper that records the
#     server's pid (server.pid) and, when it exits, its exit status
#     (exit.status). Tcl cannot wait for a background child, so without the
#     wrapper a crash would leave no status and a zombie that looks alive.
#   * Output goes to files in the server's directory: stdout (the log, since
#     no logfile is configured) and stderr (sanitizer reports). `srv 0 stdout`
#     is the log path. Crash reports quote the tail of both.
#   * Three layers kill servers: (1) start_server stops its server when its
#     body ends, whatever happened inside; (2) a watchdog process started with
#     the runner notices when the runner dies (even by SIGKILL) and kills the
#     servers listed in tests/tmp/server.<runner-pid>.*/server.pid; (3) the
#     next run reaps pid files whose runner is gone (checking the process
#     start time, so a recycled pid is never killed).
#   * Ports are probed by binding a Tcl listening socket on 127.0.0.1, from a
#     base derived from the runner pid so concurrent runs rarely collide; if a
#     server still loses the race ("Address already in use", or a PING answered
#     by a process with another pid) it is retried on the next port.
#   * When --tags or --only filter tests, servers opened outside a test start
#     lazily, on first use (`r`, `srv`, ...), so filtered-out blocks are free.
#     A start_server inside a running test always starts at once.

namespace eval ::rkv {
    variable server_bin ""        ;# absolute path, set by the runner
    variable tmp_root ""          ;# absolute path of tests/tmp
    variable runner_pid [pid]
    variable servers {}           ;# stack of server ids, innermost last
    variable server               ;# array: id -> dict of server fields
    variable next_server_id 0
    variable next_port [expr {20000 + ([pid] * 37) % 9000}]
    variable start_timeout_ms 20000
    variable stop_timeout_ms 10000
    variable watchdog_pid ""
    # Log lines that mean the server crashed or a sanitizer fired, even if it
    # later exited normally. Extend with `lappend ::rkv::crash_patterns`.
    variable crash_patterns {
        {*BUG REPORT*} {*crashed by signal*} {*ASSERTION FAILED*}
        {*ERROR: AddressSanitizer*} {*ERROR: LeakSanitizer*}
        {*WARNING: ThreadSanitizer*} {*runtime error: *}
    }
    # Base configuration used when tests/assets/default.conf does not exist.
    variable default_config {
        daemonize no
        save ""
        appendonly no
        enable-debug-command yes
    }
}

proc ::rkv::sget {id key} { dict get $::rkv::server($id) $key }
proc ::rkv::sset {id key value} { dict set ::rkv::server($id) $key $value }

# ---------------------------------------------------------------------------
# Processes

# True if pid is a live process (a zombie counts as dead).
proc ::rkv::process_alive {pid} {
    if {$pid eq "" || ![string is integer -strict $pid]} { return 0 }
    if {[file isdirectory /proc/self]} {
        if {[catch {set f [open /proc/$pid/stat r]}]} { return 0 }
        # The process may be reaped between open and read ("no such process").
        set failed [catch {set data [read $f]}]
        catch {close $f}
        if {$failed} { return 0 }
        set state [lindex [string range $data [expr {[string last ")" $data] + 2}] end] 0]
        return [expr {$state ni {Z X x}}]
    }
    return [expr {![catch {exec kill -0 $pid 2>/dev/null}]}]
}

# Kernel start time of pid (clock ticks since boot), "" when unknown. Used to
# tell a stale server from an unrelated process that reused its pid.
proc ::rkv::process_starttime {pid} {
    if {[catch {set f [open /proc/$pid/stat r]}]} { return "" }
    set data [read $f]
    close $f
    return [lindex [string range $data [expr {[string last ")" $data] + 2}] end] 19]
}

proc ::rkv::send_signal {sig pid} {
    catch {exec kill -$sig $pid 2>/dev/null}
}

proc ::rkv::read_file {path} {
    if {[catch {open $path r} f]} { return "" }
    fconfigure $f -translation binary
    set data [read $f]
    close $f
    return $data
}

proc ::rkv::write_file {path data} {
    set f [open $path w]
    puts -nonewline $f $data
    close $f
}

proc ::rkv::file_tail {path n} {
    set lines [split [string trimright [read_file $path] "\n"] "\n"]
    return [join [lrange $lines end-[expr {$n - 1}] end] "\n"]
}

# Start the watchdog: a shell loop that outlives the runner by at most half a
# second and then TERMs, and a second later KILLs, every server whose pid file
# is still present (stop_server deletes pid files of servers it stopped).
proc ::rkv::start_watchdog {} {
    set script {
        trap '' INT HUP TERM
        runner=$1; tmp=$2
        runner_alive() {
            if [ -d /proc/self ]; then
                s=$(cat /proc/$runner/stat 2>/dev/null) || return 1
                s=${s##*) }
                case $s in Z*|X*) return 1;; esac
                return 0
            fi
            kill -0 $runner 2>/dev/null
        }
        while runner_alive; do sleep 0.5; done
        pids=
        for f in "$tmp"/server.$runner.*/server.pid; do
            [ -f "$f" ] && read p < "$f" && pids="$pids $p"
        done
        [ -n "$pids" ] || exit 0
        kill -TERM $pids 2>/dev/null
        sleep 1
        kill -KILL $pids 2>/dev/null
        exit 0
    }
    set ::rkv::watchdog_pid [exec sh -c $script watchdog $::rkv::runner_pid $::rkv::tmp_root \
        </dev/null >/dev/null 2>/dev/null &]
}

proc ::rkv::stop_watchdog {} {
    if {$::rkv::watchdog_pid ne ""} {
        send_signal KILL $::rkv::watchdog_pid
        set ::rkv::watchdog_pid ""
    }
}

# Kill servers left behind by runs that died, and remove their scratch
# directories unless a FAILED marker asks to keep them for inspection.
proc ::rkv::reap_stale {} {
    foreach dir [glob -nocomplain -directory $::rkv::tmp_root -types d server.* tmpdir.*] {
        if {![regexp {^(?:server|tmpdir)\.(\d+)\.} [file tail $dir] -> owner]} continue
        if {$owner == $::rkv::runner_pid} continue
        # A run still in progress (ours or someone else's) owns its files.
        if {[process_alive $owner] &&
            [string match *test_helper* [read_file /proc/$owner/cmdline]]} continue
        set pidfile [file join $dir server.pid]
        if {[file exists $pidfile]} {
            set spid [string trim [read_file $pidfile]]
            set want [string trim [read_file [file join $dir server.starttime]]]
            if {[process_alive $spid] && ($want eq "" || $want eq [process_starttime $spid])} {
                puts "Reaping stale server pid $spid from [file tail $dir]"
                send_signal KILL $spid
            }
            file delete $pidfile
        }
        if {![file exists [file join $dir FAILED]]} {
            file delete -force $dir
        }
    }
}

# ---------------------------------------------------------------------------
# Ports and readiness

proc ::rkv::port_is_free {port} {
    if {[catch {socket -server ::rkv::refuse_connection -myaddr 127.0.0.1 $port} sock]} {
        return 0
    }
    close $sock
    return 1
}

proc ::rkv::refuse_connection {sock args} { close $sock }

proc ::rkv::find_free_port {} {
    variable next_port
    for {set i 0} {$i < 1000} {incr i} {
        set port $next_port
        incr next_port
        if {$next_port > 29999} { set next_port 20000 }
        if {$port == 6379} continue
        if {[port_is_free $port]} { return $port }
    }
    error "no free TCP port found in 20000-29999"
}

# Ask host:port for PING. Returns "up" (any reply except LOADING counts: an
# auth error still proves the server is serving), "loading", or "down".
# When up and the server reports process_id in INFO, it is returned as the
# second element so the caller can check it is really our process.
proc ::rkv::probe {host port} {
    if {[catch {::rkv::client::open $host $port} c]} { return down }
    # A server that accepts but never answers must not eat the whole test
    # budget on one probe: bound each probe to two seconds.
    set saved_deadline $::rkv::deadline
    set ::rkv::deadline [expr {[clock milliseconds] + min(2000, [remaining_ms])}]
    set state down
    set server_pid ""
    if {[catch {$c ping} reply]} {
        if {[string match LOADING* $reply]} {
            set state loading
        } elseif {![$c is_closed]} {
            set state up
        }
    } else {
        set state up
        if {![catch {$c info server} info]} {
            regexp {process_id:(\d+)} $info -> server_pid
        }
    }
    catch {$c close}
    set ::rkv::deadline $saved_deadline
    return [list $state $server_pid]
}

# server_is_up host port retrynum: 1 if PING is answered within retrynum
# attempts, 10 ms apart.
proc server_is_up {host port retrynum} {
    for {set i 0} {$i < $retrynum} {incr i} {
        if {[lindex [::rkv::probe $host $port] 0] eq "up"} { return 1 }
        after 10
    }
    return 0
}

# ---------------------------------------------------------------------------
# Configuration and spawning

proc ::rkv::base_config {id} {
    set config [sget $id config]
    if {$config ne ""} {
        foreach candidate [list $config [file join tests assets $config]] {
            if {[file exists $candidate]} { return [read_file $candidate] }
        }
        error "start_server: config file '$config' not found"
    }
    set default [file join tests assets default.conf]
    if {[file exists $default]} { return [read_file $default] }
    set text ""
    foreach line [split $::rkv::default_config "\n"] {
        set line [string trim $line]
        if {$line ne ""} { append text $line "\n" }
    }
    return $text
}

proc ::rkv::write_config {id} {
    set text [base_config $id]
    if {$text ne "" && [string index $text end] ne "\n"} { append text "\n" }
    append text "# start_server overrides\n"
    foreach {directive value} [sget $id overrides] {
        if {$value eq ""} { set value {""} }
        append text "$directive $value\n"
    }
    foreach line [sget $id config_lines] {
        append text "$line\n"
    }
    write_file [sget $id config_file] $text
}

# Start the server process for id and wait until it is ready. Retries on a
# new port when the chosen one turns out to be taken (unless keep_port).
proc ::rkv::spawn_server {id {keep_port 0}} {
    set attempts [expr {$keep_port || [sget $id fixed_port] ne "" ? 1 : 3}]
    for {set attempt 1} {1} {incr attempt} {
        if {!$keep_port} {
            set port [sget $id fixed_port]
            if {$port eq ""} { set port [find_free_port] }
            sset $id port $port
            # A fresh start: output from an earlier failed attempt would
            # confuse the port-taken check.
            file delete [sget $id stdout] [sget $id stderr]
        }
        write_config $id
        set outcome [spawn_once $id]
        if {$outcome eq "ok"} {
            log_verbose "(server started: pid [sget $id pid], port [sget $id port], dir [relpath [sget $id dir]])"
            return
        }
        if {$outcome eq "port-taken" && $attempt < $attempts} {
            log_verbose "port [sget $id port] was taken, retrying on another"
            continue
        }
        set msg "server failed to start (port [sget $id port], dir [relpath [sget $id dir]]): $outcome"
        set tail [log_tail $id]
        if {$tail ne ""} { append msg "\n--- server output (tail) ---\n$tail" }
        sset $id state failed
        sset $id start_error $msg
        sset $id failed 1
        return -code error -errorcode {RKV START} $msg
    }
}

# One start attempt. Returns "ok", "port-taken", or a failure description.
proc ::rkv::spawn_once {id} {
    set dir [sget $id dir]
    set pidfile [file join $dir server.pid]
    set statusfile [file join $dir exit.status]
    file delete $pidfile $statusfile [file join $dir server.starttime]
    set argv [list $::rkv::server_bin [sget $id config_file] \
        --port [sget $id port] --bind 127.0.0.1 --dir [sget $id data_dir] \
        {*}[sget $id args]]
    # The wrapper stays the server's parent so it can record the exit status.
    set wrapper {
        pidf=$1; statf=$2; out=$3; err=$4; shift 4
        "$@" >>"$out" 2>>"$err" </dev/null &
        child=$!
        echo $child > "$pidf"
        wait $child
        echo $? > "$statf"
    }
    exec sh -c $wrapper ringkv-test-wrapper $pidfile $statusfile \
        [sget $id stdout] [sget $id stderr] {*}$argv </dev/null >/dev/null 2>/dev/null &
    sset $id state running
    sset $id we_stopped 0

    set deadline [expr {[clock milliseconds] + min($::rkv::start_timeout_ms, [remaining_ms])}]
    set pid ""
    while {1} {
        if {$pid eq ""} {
            set pid [string trim [read_file $pidfile]]
            if {$pid ne ""} {
                sset $id pid $pid
                write_file [file join $dir server.starttime] [process_starttime $pid]
                if {![sget $id wait_ready]} { return ok }
            }
        }
        if {$pid ne ""} {
            if {![process_alive $pid]} {
                after 20 ;# let the wrapper write the exit status
                set status [string trim [read_file $statusfile]]
                file delete $pidfile
                sset $id state stopped
                if {[regexp -nocase {in use} [read_file [sget $id stdout]][read_file [sget $id stderr]]]} {
                    return port-taken
                }
                return "process exited during startup ([describe_status $status])"
            }
            lassign [probe 127.0.0.1 [sget $id port]] state server_pid
            if {$state eq "up"} {
                if {$server_pid ne "" && $server_pid != $pid} {
                    # Someone else's server answered on our port.
                    stop_server $id KILL
                    return port-taken
                }
                return ok
            }
        }
        if {[clock milliseconds] > $deadline} {
            if {$pid ne ""} { stop_server $id KILL }
            return "not answering PING after [expr {$::rkv::start_timeout_ms / 1000}] s"
        }
        after 10
    }
}

proc ::rkv::describe_status {status} {
    if {$status eq ""} { return "exit status unknown" }
    if {$status > 128} {
        set sig [expr {$status - 128}]
        set names {1 SIGHUP 2 SIGINT 3 SIGQUIT 4 SIGILL 5 SIGTRAP 6 SIGABRT 7 SIGBUS
                   8 SIGFPE 9 SIGKILL 11 SIGSEGV 13 SIGPIPE 15 SIGTERM}
        set name [expr {[dict exists $names $sig] ? [dict get $names $sig] : "signal $sig"}]
        return "killed by $name"
    }
    return "exit status $status"
}

proc ::rkv::log_tail {id {n 30}} {
    set out ""
    foreach key {stdout stderr} {
        set path [sget $id $key]
        if {[file exists $path] && [file size $path] > 0} {
            append out "==> [relpath $path] <==\n[file_tail $path $n]\n"
        }
    }
    return [string trimright $out]
}

# Crash evidence in the server's output, "" if none.
proc ::rkv::log_crash_evidence {id} {
    foreach key {stdout stderr} {
        set data [read_file [sget $id $key]]
        if {$data eq ""} continue
        foreach line [split $data "\n"] {
            foreach pattern $::rkv::crash_patterns {
                if {[string match $pattern $line]} {
                    return "[relpath [sget $id $key]]: $line"
                }
            }
        }
    }
    return ""
}

# Report on a server that has exited: "" if the exit looks intended (status
# 0, or a signal we sent), else a description with the log tail.
proc ::rkv::exit_report {id} {
    set status [string trim [read_file [file join [sget $id dir] exit.status]]]
    set problems {}
    if {![sget $id ignore_crash]} {
        set evidence [log_crash_evidence $id]
        if {$evidence ne ""} { lappend problems "crash report in log: $evidence" }
        # Fine: a clean exit, or death by the very signal we sent (a server
        # without a handler for it). Anything else, e.g. SIGSEGV while
        # handling our SIGTERM, is a crash.
        set expected [expr {[sget $id we_stopped] ? 128 + [sget $id stop_signal] : 0}]
        if {$status ne "" && $status != 0 && $status != $expected} {
            lappend problems "server exited unexpectedly: [describe_status $status]"
        }
    }
    if {[llength $problems] == 0} { return "" }
    sset $id failed 1
    return "server pid [sget $id pid] port [sget $id port]: [join $problems {; }]\n[log_tail $id]"
}

# Stop a running server with signal sig (TERM, escalating to KILL after
# stop_timeout_ms). Closes its clients first. Returns a problem report, or ""
# when the server was fine.
proc ::rkv::stop_server {id {sig TERM}} {
    set sig [string toupper [regsub -nocase {^SIG} $sig ""]]
    close_clients $id
    if {[sget $id state] ne "running"} { return "" }
    set pid [sget $id pid]
    set report ""
    if {[process_alive $pid]} {
        sset $id we_stopped 1
        sset $id stop_signal [dict get {TERM 15 KILL 9 INT 2 HUP 1 QUIT 3} $sig]
        send_signal $sig $pid
        set deadline [expr {[clock milliseconds] + $::rkv::stop_timeout_ms}]
        while {[process_alive $pid]} {
            if {[clock milliseconds] > $deadline} {
                send_signal KILL $pid
                sset $id stop_signal 9
                set report "server pid $pid port [sget $id port] did not exit within [expr {$::rkv::stop_timeout_ms / 1000}] s of SIG$sig; killed"
                sset $id failed 1
                after 50
                break
            }
            after 10
        }
    }
    # The wrapper writes the exit status right after the server is reaped.
    set statusfile [file join [sget $id dir] exit.status]
    for {set i 0} {$i < 100 && ![file exists $statusfile]} {incr i} { after 10 }
    file delete [file join [sget $id dir] server.pid]
    sset $id state stopped
    log_verbose "(server stopped: pid $pid, port [sget $id port])"
    set exit_problem [exit_report $id]
    if {$exit_problem ne ""} {
        set report [expr {$report eq "" ? $exit_problem : "$report\n$exit_problem"}]
    }
    return $report
}

# Called after each test: find servers on the stack that died during it.
# A clean exit (status 0, e.g. SHUTDOWN) is accepted; anything else is
# returned as a report so the test fails.
proc ::rkv::check_servers_alive {} {
    set reports {}
    foreach id $::rkv::servers {
        if {[sget $id state] ne "running" || [process_alive [sget $id pid]]} continue
        set report [stop_server $id]
        if {$report ne ""} { lappend reports $report }
    }
    return [join $reports "\n"]
}

proc ::rkv::mark_servers_failed {} {
    foreach id $::rkv::servers { sset $id failed 1 }
}

proc ::rkv::dump_server_logs {} {
    foreach id $::rkv::servers {
        foreach key {stdout stderr} {
            set path [sget $id $key]
            if {[file exists $path] && [file size $path] > 0} {
                puts "==> [relpath $path] (server port [sget $id port]) <=="
                puts [read_file $path]
            }
        }
    }
}

proc ::rkv::close_clients {id} {
    foreach c [concat [list [sget $id client]] [sget $id clients]] {
        if {$c ne "" && [llength [info commands $c]]} { catch {$c close} }
    }
    sset $id client ""
    sset $id clients {}
}

# Stop every server this run started; used at exit and after each file.
proc ::rkv::stop_all_servers {} {
    foreach id [array names ::rkv::server] {
        if {[sget $id state] eq "running"} {
            stop_server $id KILL
        }
    }
    set ::rkv::servers {}
}

# ---------------------------------------------------------------------------
# The stack and lazy start

# Server id at a level: 0 is the innermost start_server, -1 the one around it.
proc ::rkv::server_at {level} {
    set n [llength $::rkv::servers]
    if {$n == 0} { error "no server: not inside start_server" }
    set index [expr {$n - 1 + $level}]
    if {$level > 0 || $index < 0} {
        error "no server at level $level (there are $n nested servers)"
    }
    return [lindex $::rkv::servers $index]
}

proc ::rkv::ensure_started {id} {
    switch -- [sget $id state] {
        pending { spawn_server $id }
        failed  { return -code error -errorcode {RKV START} [sget $id start_error] }
    }
}

proc ::rkv::default_client {id} {
    ensure_started $id
    set c [sget $id client]
    if {$c ne "" && [llength [info commands $c]] && ![$c is_closed]} { return $c }
    if {$c ne ""} { catch {$c close} }
    set c [::rkv::client::open [sget $id host] [sget $id port]]
    sset $id client $c
    return $c
}

# ---------------------------------------------------------------------------
# Public API

# start_server {options} {body}
# Options: tags {..} overrides {directive value ..} config_lines {line ..}
#          args {--opt val ..} config file wait_ready 1 keep_persistence 0
#          ignore_crash 0
proc start_server {options {body {}}} {
    set opts [dict create tags {} overrides {} config_lines {} args {} config "" \
        wait_ready 1 keep_persistence 0 ignore_crash 0]
    foreach {key value} $options {
        if {![dict exists $opts $key]} {
            error "start_server: unknown option '$key' (known: [dict keys $opts])"
        }
        dict set opts $key $value
    }
    # Any unwanted tag skips the whole block without starting anything.
    set all_tags [concat $::rkv::tags_stack [dict get $opts tags]]
    foreach t $::rkv::deny_tags {
        if {$t in $all_tags} {
            ::rkv::log_verbose "\[skip\]: server block with tags {$all_tags}"
            return
        }
    }

    set id [incr ::rkv::next_server_id]
    set dir [file join $::rkv::tmp_root server.$::rkv::runner_pid.$id]
    file delete -force $dir
    file mkdir $dir
    set overrides [dict get $opts overrides]
    # port and dir are passed on the command line, not in the config file.
    set fixed_port ""
    if {[dict exists $overrides port]} {
        set fixed_port [dict get $overrides port]
        dict unset overrides port
    }
    set data_dir $dir
    if {[dict exists $overrides dir]} {
        set data_dir [file normalize [dict get $overrides dir]]
        file mkdir $data_dir
        dict unset overrides dir
    }
    set ::rkv::server($id) [dict create \
        id $id state pending host 127.0.0.1 port "" fixed_port $fixed_port pid "" \
        dir $dir data_dir $data_dir \
        config_file [file join $dir ringkv.conf] \
        stdout [file join $dir stdout] stderr [file join $dir stderr] \
        overrides $overrides config_lines [dict get $opts config_lines] \
        args [dict get $opts args] config [dict get $opts config] \
        wait_ready [dict get $opts wait_ready] \
        keep_persistence [dict get $opts keep_persistence] \
        ignore_crash [dict get $opts ignore_crash] \
        client "" clients {} failed 0 we_stopped 0 stop_signal 0 \
        start_error "" restarts 0]

    set caller [info frame -1]
    set where [expr {[dict exists $caller file] ?
        "[::rkv::relpath [dict get $caller file]]:[dict get $caller line]" : $::rkv::current_file}]

    lappend ::rkv::servers $id
    set saved_tags $::rkv::tags_stack
    lappend ::rkv::tags_stack {*}[dict get $opts tags]

    set code 0
    set result ""
    if {![::rkv::filtering] || $::rkv::in_test} {
        set code [catch {::rkv::spawn_server $id} result opts_out]
    }
    if {$code == 0} {
        set code [catch {uplevel 1 $body} result opts_out]
        if {$code == 1} {
            set errline [::rkv::error_body_line [dict get $opts_out -errorinfo]]
            set loc [::rkv::frame_location [expr {[info frame] - 1}]]
            if {$errline ne "" && $loc ne ""} {
                set line [expr {[lindex $loc 1] + [::rkv::script_offset [dict get $caller cmd]] + $errline - 1}]
                set where "[::rkv::relpath [lindex $loc 0]]:$line"
            }
        }
    }

    set ::rkv::tags_stack $saved_tags
    set report [::rkv::stop_server $id]
    set ::rkv::servers [lrange $::rkv::servers 0 end-1]
    if {$code == 1 && $report ne ""} {
        append result "\n$report"
        set report ""
    }

    # Keep the directory of a server that saw a failure, for inspection.
    set failed [expr {[::rkv::sget $id failed] || $code == 1 || $report ne ""}]
    if {$failed} {
        ::rkv::write_file [file join $dir FAILED] "kept for inspection\n"
        if {$::rkv::dump_logs} { puts [::rkv::log_tail $id 1000000] }
    } elseif {![::rkv::sget $id keep_persistence]} {
        file delete -force $dir
        if {$data_dir ne $dir} { file delete -force $data_dir }
    } else {
        file delete -force [file join $dir server.starttime]
    }

    if {$::rkv::in_test} {
        # Inside a test: let the test report it.
        if {$code == 1} { return -options $opts_out $result }
        if {$report ne ""} { error $report }
        return $result
    }
    if {$code == 1} {
        if {[lindex [dict get $opts_out -errorcode] 0] ne "RKV"} {
            set result [dict get $opts_out -errorinfo]
        }
        ::rkv::report_failure "start_server block at $where" "$result\nfiles kept in [::rkv::relpath $dir]"
    } elseif {$report ne ""} {
        ::rkv::report_failure "server check at end of start_server block at $where" "$report\nfiles kept in [::rkv::relpath $dir]"
    }
    return
}

# srv ?level? property: host port pid stdout stderr dir config_file client
# (the default client) or any other field of the server record.
proc srv {args} {
    if {[llength $args] == 1} {
        set level 0
        set property [lindex $args 0]
    } elseif {[llength $args] == 2} {
        lassign $args level property
    } else {
        error "usage: srv ?level? property"
    }
    set id [::rkv::server_at $level]
    if {$property eq "client"} { return [::rkv::default_client $id] }
    ::rkv::ensure_started $id
    if {![dict exists $::rkv::server($id) $property]} {
        error "srv: unknown property '$property'"
    }
    return [::rkv::sget $id $property]
}

# r ?level? command args...: run a command through the server's default
# client (reconnected automatically if it was closed).
proc r {args} {
    set level 0
    if {[string is integer -strict [lindex $args 0]]} {
        set args [lassign $args level]
    }
    set c [::rkv::default_client [::rkv::server_at $level]]
    return [$c {*}$args]
}

# redis_client ?level?: a new client; closed when its server stops.
proc redis_client {{level 0}} {
    set id [::rkv::server_at $level]
    ::rkv::ensure_started $id
    set c [::rkv::client::open [::rkv::sget $id host] [::rkv::sget $id port]]
    dict lappend ::rkv::server($id) clients $c
    return $c
}

# redis_deferring_client ?level?: a client whose commands do not wait for a
# reply; read replies with `$c read`.
proc redis_deferring_client {{level 0}} {
    set c [redis_client $level]
    $c deferred 1
    return $c
}

# kill_server ?level? ?signal?: stop the server now (the enclosing
# start_server then has nothing left to stop). Raises if it had crashed.
proc kill_server {{level 0} {sig TERM}} {
    set id [::rkv::server_at $level]
    if {[::rkv::sget $id state] eq "pending"} { ::rkv::sset $id state stopped; return }
    set report [::rkv::stop_server $id $sig]
    if {$report ne ""} { error $report }
}

# restart_server ?level? ?wait_ready? ?rotate_logs? ?reconnect? ?shutdown?
# Stop the server (shutdown: sigterm or sigkill) and start it again with the
# same port, directory and configuration, so persisted data is reloaded.
# rotate_logs moves the old stdout/stderr aside. Clients of the old process
# are closed; the default client reconnects on next use.
proc restart_server {{level 0} {wait_ready 1} {rotate_logs 0} {reconnect 1} {shutdown sigterm}} {
    set id [::rkv::server_at $level]
    if {[::rkv::sget $id state] eq "pending"} { ::rkv::spawn_server $id }
    set sig [expr {$shutdown eq "sigkill" ? "KILL" : "TERM"}]
    set report [::rkv::stop_server $id $sig]
    if {$report ne ""} { error $report }
    ::rkv::sset $id restarts [expr {[::rkv::sget $id restarts] + 1}]
    if {$rotate_logs} {
        set n [::rkv::sget $id restarts]
        foreach key {stdout stderr} {
            set path [::rkv::sget $id $key]
            if {[file exists $path]} { file rename -force $path $path.$n }
        }
    }
    file delete [file join [::rkv::sget $id dir] exit.status]
    set saved_wait [::rkv::sget $id wait_ready]
    ::rkv::sset $id wait_ready $wait_ready
    try {
        ::rkv::spawn_server $id 1
    } finally {
        ::rkv::sset $id wait_ready $saved_wait
    }
    if {$reconnect} { ::rkv::default_client $id }
    return
}

# wait_for_log_messages level patterns ?from_line? ?maxtries? ?delay_ms?
# Wait until a line after from_line (1-based; 0 = whole log) of the server's
# stdout matches one of the glob patterns. Returns that line's number.
proc wait_for_log_messages {level patterns {from_line 0} {maxtries 100} {delay 50}} {
    set path [srv $level stdout]
    for {set try 0} {$try < $maxtries} {incr try} {
        set lines [split [::rkv::read_file $path] "\n"]
        for {set i $from_line} {$i < [llength $lines]} {incr i} {
            foreach p $patterns {
                if {[string match $p [lindex $lines $i]]} { return [expr {$i + 1}] }
            }
        }
        after $delay
    }
    ::rkv::assert_failed "log message matching {$patterns} not found after line $from_line of [::rkv::relpath $path]\n[::rkv::file_tail $path 20]"
}
