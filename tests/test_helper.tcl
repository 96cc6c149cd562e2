#!/usr/bin/env tclsh
# test_helper.tcl: the test runner for ringkv.
#
# What it owns: command-line options, finding the test files, running them
# (one after another, or as parallel child runners with --clients N), the
# final summary, the exit code, and cleanup at exit.
#
# Usage:
#   tclsh tests/test_helper.tcl [--single FILE]... [--tags "tag -othertag"]
#       [--only "test name glob"]... [--skip "glob"]... [--server-bin PATH]
#       [--timeout SECS] [--clients N] [--seed N] [--verbose] [--dump-logs]
#
# Why it is built this way:
#   * Test files are plain Tcl sourced at global level, so they read like the
#     Redis suite: `start_server {tags {..}} { test {name} { ... } }`.
#   * The last line printed is always "N passed, M failed" (", K skipped"
#     when some were), and the exit code is 0 exactly when M is 0, so a
#     Makefile or CI can rely on either.
#   * Tcl 8.6 cannot trap SIGINT/SIGTERM, so servers are protected in layers
#     (see support/server.tcl): start_server always stops its server, `exit`
#     is wrapped to stop everything, a watchdog process kills servers if this
#     process dies, and the next run reaps anything left over.
#   * --clients N runs up to N files at once, each in its own child runner,
#     and prints each file's output in one piece when it finishes; servers
#     spend most of their time waiting on the network, so this helps even on
#     a machine with few cores.

set ::rkv_root [file normalize [file join [file dirname [info script]] ..]]

proc usage {} {
    puts {Usage: tclsh tests/test_helper.tcl [options]
  --single FILE       run only this test file (repeatable); "unit/foo" works too
  --tags "a -b"       run tests tagged a, skip tests tagged b (repeatable)
  --only GLOB         run only tests whose name matches GLOB (repeatable)
  --skip GLOB         skip tests whose name matches GLOB (repeatable)
  --server-bin PATH   server binary (default: $RINGKV_SERVER_BIN or src/ringkv-server)
  --timeout SECS      time budget of one test, and of one server start (default 60)
  --clients N         run up to N test files in parallel (default 1)
  --seed N            seed for rand(), to replay a run
  --verbose           print skipped tests and server events
  --dump-logs         print server logs when a test fails
  --help              this text}
}

# Resolve a --single argument: as given (relative to the caller's directory),
# relative to the repo root, or under tests/, with or without ".tcl".
proc resolve_test_file {name} {
    foreach candidate [list $name $name.tcl \
            [file join $::rkv_root $name] [file join $::rkv_root $name.tcl] \
            [file join $::rkv_root tests $name] [file join $::rkv_root tests $name.tcl]] {
        if {[file isfile $candidate]} { return [file normalize $candidate] }
    }
    puts stderr "test file not found: $name"
    exit 2
}

# All *.tcl files under dir, recursively, sorted by path.
proc find_tcl_files {dir} {
    set result [glob -nocomplain -directory $dir -types f *.tcl]
    foreach sub [glob -nocomplain -directory $dir -types d *] {
        lappend result {*}[find_tcl_files $sub]
    }
    return [lsort $result]
}

# ---------------------------------------------------------------------------
# Options

set opt_single {}
set opt_tags {}
set opt_only {}
set opt_skip {}
set opt_server_bin ""
set opt_timeout 60
set opt_clients 1
set opt_seed [expr {[clock milliseconds] % 1000000}]
set opt_verbose 0
set opt_dump_logs 0
set opt_child 0

for {set i 0} {$i < [llength $argv]} {incr i} {
    set arg [lindex $argv $i]
    set value [lindex $argv [expr {$i + 1}]]
    switch -- $arg {
        --single     { lappend opt_single [resolve_test_file $value]; incr i }
        --tags       { lappend opt_tags {*}$value; incr i }
        --only       { lappend opt_only $value; incr i }
        --skip       { lappend opt_skip $value; incr i }
        --server-bin { set opt_server_bin $value; incr i }
        --timeout    { set opt_timeout $value; incr i }
        --clients    { set opt_clients $value; incr i }
        --seed       { set opt_seed $value; incr i }
        --verbose    { set opt_verbose 1 }
        --dump-logs  { set opt_dump_logs 1 }
        --child      { set opt_child 1 }
        --help - -h  { usage; exit 0 }
        default {
            puts stderr "unknown option: $arg"
            usage
            exit 2
        }
    }
}
foreach {name value} [list --timeout $opt_timeout --clients $opt_clients --seed $opt_seed] {
    if {![string is integer -strict $value] || $value < 0} {
        puts stderr "$name needs a non-negative integer, got '$value'"
        exit 2
    }
}

if {$opt_server_bin eq "" && [info exists ::env(RINGKV_SERVER_BIN)]} {
    set opt_server_bin $::env(RINGKV_SERVER_BIN)
}
if {$opt_server_bin eq ""} {
    set opt_server_bin [file join $::rkv_root src ringkv-server]
} elseif {[file pathtype $opt_server_bin] ne "absolute" && ![file exists $opt_server_bin] &&
          [llength [auto_execok $opt_server_bin]]} {
    # A bare command name: find it on PATH.
    set opt_server_bin [lindex [auto_execok $opt_server_bin] 0]
}
set opt_server_bin [file normalize $opt_server_bin]
if {![file executable $opt_server_bin] || [file isdirectory $opt_server_bin]} {
    puts stderr "server binary not found or not executable: $opt_server_bin"
    puts stderr "(build it, or pass --server-bin PATH / set RINGKV_SERVER_BIN)"
    puts "0 passed, 1 failed"
    exit 1
}

# Everything below runs from the repo root, so relative paths in tests
# (tests/assets/..., tests/tmp/...) mean the same thing for every caller.
cd $::rkv_root

source [file join tests support test.tcl]
source [file join tests support client.tcl]
source [file join tests support server.tcl]
source [file join tests support util.tcl]

set ::rkv::server_bin $opt_server_bin
set ::rkv::tmp_root [file join $::rkv_root tests tmp]
set ::rkv::timeout_ms [expr {$opt_timeout * 1000}]
set ::rkv::start_timeout_ms [expr {min(20000, $::rkv::timeout_ms)}]
set ::rkv::verbose $opt_verbose
set ::rkv::dump_logs $opt_dump_logs
set ::rkv::only_patterns $opt_only
set ::rkv::skip_patterns $opt_skip
foreach t $opt_tags {
    if {[string index $t 0] eq "-"} {
        lappend ::rkv::deny_tags [string range $t 1 end]
    } else {
        lappend ::rkv::allow_tags $t
    }
}
file mkdir $::rkv::tmp_root
expr {srand($opt_seed)}

# `exit` from anywhere (a test file included) stops our servers first.
rename exit ::rkv::real_exit
proc exit {{code 0}} {
    catch {::rkv::stop_all_servers}
    catch {::rkv::stop_watchdog}
    ::rkv::real_exit $code
}

if {[llength $opt_single]} {
    set files $opt_single
} else {
    set files [concat [find_tcl_files [file join $::rkv_root tests unit]] \
                      [find_tcl_files [file join $::rkv_root tests integration]]]
}
if {[llength $files] == 0} {
    puts "no test files found"
    puts "0 passed, 0 failed"
    exit 0
}

# ---------------------------------------------------------------------------
# Sequential run (also what each parallel child does)

proc run_file {path} {
    set ::rkv::current_file [::rkv::relpath $path]
    set ::rkv::tags_stack {}
    set ::rkv::in_test 0
    set ::rkv::deadline 0
    puts "--- $::rkv::current_file"
    flush stdout
    if {[catch {uplevel #0 [list source $path]} err opts]} {
        ::rkv::report_failure "error while running $::rkv::current_file" [dict get $opts -errorinfo]
    }
    # start_server always stops its own server; this only catches servers
    # orphaned by an error between start and body.
    if {[llength $::rkv::servers]} { ::rkv::stop_all_servers }
}

proc run_sequential {files} {
    ::rkv::reap_stale
    ::rkv::start_watchdog
    foreach path $files { run_file $path }
    ::rkv::stop_all_servers
    ::rkv::stop_watchdog
}

# ---------------------------------------------------------------------------
# Parallel run: one child runner per file, at most N at a time.

proc run_parallel {files n} {
    ::rkv::reap_stale
    set ::parallel_queue $files
    set ::parallel_running 0
    while {[llength $::parallel_queue] || $::parallel_running} {
        while {$::parallel_running < $n && [llength $::parallel_queue]} {
            set ::parallel_queue [lassign $::parallel_queue path]
            launch_child $path
        }
        vwait ::parallel_event
    }
}

proc launch_child {path} {
    set cmd [list [info nameofexecutable] [file join $::rkv_root tests test_helper.tcl] \
        --child --single $path --server-bin $::rkv::server_bin \
        --timeout [expr {$::rkv::timeout_ms / 1000}] --seed $::opt_seed]
    foreach t $::opt_tags { lappend cmd --tags $t }
    foreach o $::opt_only { lappend cmd --only $o }
    foreach s $::opt_skip { lappend cmd --skip $s }
    if {$::opt_verbose} { lappend cmd --verbose }
    if {$::opt_dump_logs} { lappend cmd --dump-logs }
    set chan [open |[concat $cmd [list 2>@1]] r]
    fconfigure $chan -blocking 0 -translation binary
    set ::child_output($chan) ""
    fileevent $chan readable [list child_readable $chan $path]
    incr ::parallel_running
}

proc child_readable {chan path} {
    append ::child_output($chan) [read $chan]
    if {![eof $chan]} return
    fconfigure $chan -blocking 1
    catch {close $chan}
    set lines [split [string trimright $::child_output($chan) "\n"] "\n"]
    unset ::child_output($chan)
    set last [lindex $lines end]
    if {[regexp {^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$} $last -> p f s]} {
        set lines [lrange $lines 0 end-1]
        incr ::rkv::num_passed $p
        incr ::rkv::num_failed $f
        if {$s ne ""} { incr ::rkv::num_skipped $s }
        foreach line $lines {
            if {[regexp {^\[err\]: (.*?)(?: \(\d+ ms\))?$} $line -> name]} {
                lappend ::rkv::failures "$name ([::rkv::relpath $path])"
            }
        }
    } else {
        incr ::rkv::num_failed
        lappend ::rkv::failures "runner for [::rkv::relpath $path] ended without a summary"
    }
    puts [join $lines "\n"]
    flush stdout
    incr ::parallel_running -1
    set ::parallel_event 1
}

# ---------------------------------------------------------------------------
# Main

set started [clock milliseconds]
if {!$opt_child} {
    puts "ringkv tests: server [::rkv::relpath $opt_server_bin], seed $opt_seed, [llength $files] file(s)"
}
if {$opt_clients > 1 && [llength $files] > 1} {
    run_parallel $files $opt_clients
} else {
    run_sequential $files
}

if {!$opt_child} {
    if {[llength $::rkv::failures]} {
        puts "\nFailed:"
        foreach f $::rkv::failures { puts "  $f" }
    }
    puts "\nAll tests done in [format %.1f [expr {([clock milliseconds] - $started) / 1000.0}]] s"
}
if {$::rkv::num_failed == 0} {
    foreach dir [glob -nocomplain -directory $::rkv::tmp_root -types d tmpdir.$::rkv::runner_pid.*] {
        file delete -force $dir
    }
}
set summary "$::rkv::num_passed passed, $::rkv::num_failed failed"
if {$::rkv::num_skipped} { append summary ", $::rkv::num_skipped skipped" }
puts $summary
exit [expr {$::rkv::num_failed == 0 ? 0 : 1}]
