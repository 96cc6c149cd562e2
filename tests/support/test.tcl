# test.tcl: the `test` command, tag filtering, assertions and result counting.
#
# What it owns: deciding whether a test runs (tags, --only, --skip), running
# its body, classifying the outcome (ok / err / skip), printing the result
# line, and the assert_* family that test bodies use.
#
# Why it is built this way:
#   * An assertion raises a Tcl error with errorcode {RKV ASSERT}; `test`
#     catches it, so a failing test ends there but the file, its servers and
#     the rest of the run carry on. Any other Tcl error is reported the same
#     way, with its errorInfo, instead of aborting the run.
#   * Failures name a file:line. Assertions find it with `info frame`; for
#     code inside a test body (a script evaluated by uplevel) Tcl reports a
#     line relative to the body, which frame_location maps back to the file.
#   * Tags form a stack. `start_server {tags {..}}` and `tags {..} {body}` push
#     onto it; a test's effective tags are the stack plus its own. A test runs
#     when it has at least one wanted tag (if any were asked for) and none of
#     the unwanted ones.
#   * Every test gets a deadline (--timeout). The client checks it while
#     waiting for replies, so a hung server fails one test, not the run.

namespace eval ::rkv {
    variable tags_stack {}        ;# tags pushed by start_server / tags blocks
    variable allow_tags {}        ;# from --tags "a"
    variable deny_tags {}         ;# from --tags "-a"
    variable only_patterns {}     ;# --only globs on test names
    variable skip_patterns {}     ;# --skip globs on test names
    variable verbose 0
    variable dump_logs 0
    variable timeout_ms 60000     ;# per-test budget; see remaining_ms
    variable deadline 0           ;# absolute ms, 0 = outside any test
    variable in_test 0
    variable current_test ""
    variable current_file ""
    variable test_frame 0         ;# frame level of the running `test` call
    variable test_base_file ""    ;# file holding a failed test's body
    variable test_base_line 0     ;# line where that body starts
    variable num_passed 0
    variable num_failed 0
    variable num_skipped 0
    variable failures {}          ;# list of "name (file)" for the summary
    variable support_dir [file normalize [file dirname [info script]]]
}

# Milliseconds left before the current deadline. Outside a test, every wait
# gets a fresh full budget.
proc ::rkv::remaining_ms {} {
    variable deadline
    if {$deadline == 0} { return $::rkv::timeout_ms }
    return [expr {$deadline - [clock milliseconds]}]
}

proc ::rkv::log_verbose {msg} {
    if {$::rkv::verbose} { puts $msg; flush stdout }
}

# Report a failure that is not a test result (a server that crashed or would
# not start outside any test, a file that failed to load).
proc ::rkv::report_failure {name msg} {
    variable num_failed
    incr num_failed
    lappend ::rkv::failures "$name ($::rkv::current_file)"
    puts "\[err\]: $name"
    puts [indent $msg]
    flush stdout
}

proc ::rkv::indent {text} {
    set out {}
    foreach line [split [string trimright $text] "\n"] {
        lappend out "    $line"
    }
    return [join $out "\n"]
}

# True if a test or server carrying these tags should run under --tags.
proc ::rkv::tags_acceptable {tags} {
    foreach t $::rkv::deny_tags {
        if {$t in $tags} { return 0 }
    }
    if {[llength $::rkv::allow_tags] == 0} { return 1 }
    foreach t $::rkv::allow_tags {
        if {$t in $tags} { return 1 }
    }
    return 0
}

# True if a filter could exclude tests, in which case servers are started
# lazily (on first use) so filtered-out blocks cost nothing.
proc ::rkv::filtering {} {
    expr {[llength $::rkv::allow_tags] || [llength $::rkv::only_patterns]}
}

proc ::rkv::name_selected {name} {
    foreach p $::rkv::skip_patterns {
        if {[string match $p $name]} { return 0 }
    }
    if {[llength $::rkv::only_patterns] == 0} { return 1 }
    foreach p $::rkv::only_patterns {
        if {[string match $p $name]} { return 1 }
    }
    return 0
}

# Run body with extra tags pushed for everything defined inside it.
# (No `try` here: evaluating the body inside try would hide its source file
# and line from `info frame`, and with them the file:line of failures.)
proc tags {tags body} {
    set saved $::rkv::tags_stack
    lappend ::rkv::tags_stack {*}$tags
    set code [catch {uplevel 1 $body} result opts]
    set ::rkv::tags_stack $saved
    return -options $opts $result
}

# test name body ?tags?: run one test. See the file comment for outcomes.
proc test {name body {tags {}}} {
    set all_tags [concat $::rkv::tags_stack $tags]
    if {![::rkv::tags_acceptable $all_tags] || ![::rkv::name_selected $name]} {
        incr ::rkv::num_skipped
        ::rkv::log_verbose "\[skip\]: $name (filtered)"
        return
    }
    if {$::rkv::in_test} {
        error "test \"$name\" is nested inside test \"$::rkv::current_test\""
    }

    # Where does the body start? Needed to turn the body-relative line of an
    # error into a file line. Computed lazily: only failures need it.
    set ::rkv::test_frame [expr {[info frame] - 1}]
    set ::rkv::test_base_file ""

    set ::rkv::in_test 1
    set ::rkv::current_test $name
    set start [clock milliseconds]
    set ::rkv::deadline [expr {$start + $::rkv::timeout_ms}]
    set code [catch {uplevel 1 $body} result opts]
    set elapsed [expr {[clock milliseconds] - $start}]
    set ::rkv::deadline 0
    set ::rkv::in_test 0

    # A server may have died during the test even if the body did not notice.
    set crash [::rkv::check_servers_alive]

    set ecode [expr {[dict exists $opts -errorcode] ? [dict get $opts -errorcode] : ""}]
    if {$code == 1 && [lindex $ecode 0] eq "RKV" && [lindex $ecode 1] eq "SKIP"} {
        incr ::rkv::num_skipped
        puts "\[skip\]: $name ($result)"
    } elseif {($code == 0 || $code == 2) && $crash eq ""} {
        incr ::rkv::num_passed
        puts "\[ok\]: $name ($elapsed ms)"
    } else {
        incr ::rkv::num_failed
        lappend ::rkv::failures "$name ($::rkv::current_file)"
        puts "\[err\]: $name ($elapsed ms)"
        if {$code == 1 && [lindex $ecode 0] eq "RKV" && [lindex $ecode 1] eq "ASSERT"} {
            puts [::rkv::indent $result]
        } elseif {$code == 1} {
            set loc [::rkv::frame_location $::rkv::test_frame]
            if {$loc ne ""} {
                set ::rkv::test_base_file [lindex $loc 0]
                set ::rkv::test_base_line [expr {[lindex $loc 1] +
                    [::rkv::script_offset [dict get [info frame $::rkv::test_frame] cmd]]}]
            }
            set where [::rkv::body_location [::rkv::error_body_line [dict get $opts -errorinfo]]]
            if {[lindex $ecode 0] eq "RKV"} {
                # Our own errors (server start failures) explain themselves.
                puts [::rkv::indent "$where: $result"]
            } else {
                puts [::rkv::indent "$where: error: [dict get $opts -errorinfo]"]
            }
        } elseif {$code != 0 && $code != 2} {
            puts [::rkv::indent "unexpected [expr {$code == 3 ? {break} : {continue}}] in test body"]
        }
        if {$crash ne ""} {
            puts [::rkv::indent $crash]
        }
        ::rkv::mark_servers_failed
        if {$::rkv::dump_logs} { ::rkv::dump_server_logs }
    }
    flush stdout
    return
}

# Line of the failing command within a body run by `uplevel 1 $body`, taken
# from errorInfo ("-errorline" does not reliably refer to the body).
proc ::rkv::error_body_line {info} {
    if {[regexp {\("uplevel" body line (\d+)\)\s+invoked from within\s+"uplevel 1 \$body"\s*$} $info -> line]} {
        return $line
    }
    return ""
}

# "file:line" for a line number relative to the running test's body.
proc ::rkv::body_location {body_line} {
    if {$body_line eq ""} { return $::rkv::current_file }
    if {$::rkv::test_base_file eq ""} {
        return "$::rkv::current_file (test body line $body_line)"
    }
    return "[::rkv::relpath $::rkv::test_base_file]:[expr {$::rkv::test_base_line + $body_line - 1}]"
}

proc ::rkv::relpath {path} {
    set root [pwd]/
    if {[string first $root $path] == 0} {
        return [string range $path [string length $root] end]
    }
    return $path
}

# {file line} of the command running at absolute frame level n, or {}.
#
# Tcl reports a file only for commands of a sourced file's top level and of
# proc bodies. A script passed to a proc and evaluated with uplevel (a test
# body, a start_server body) reports a line relative to that script, with
# the proc that evaluated it. So: find the frame that called that proc, get
# its location recursively, and add the script's offset inside the call.
proc ::rkv::frame_location {n} {
    set f [info frame $n]
    if {[dict exists $f file] && [dict exists $f line]} {
        return [list [dict get $f file] [dict get $f line]]
    }
    if {[dict get $f type] ne "eval" || ![dict exists $f proc] || ![dict exists $f line]} {
        return {}
    }
    set proc [dict get $f proc]
    for {set m [expr {$n - 1}]} {$m >= 1} {incr m -1} {
        set g [info frame $m]
        if {![dict exists $g cmd]} continue
        set cmd [dict get $g cmd]
        if {[catch {lindex $cmd 0} word0]} continue
        if {"::[string trimleft $word0 :]" ne $proc} continue
        set base [frame_location $m]
        if {$base eq ""} { return {} }
        set line [expr {[lindex $base 1] + [script_offset $cmd] + [dict get $f line] - 1}]
        return [list [lindex $base 0] $line]
    }
    return {}
}

# Lines between the start of a command and the start of its script
# argument, taken to be its longest argument (start_server's options or a
# test name may span lines before the body).
proc ::rkv::script_offset {cmd} {
    if {[catch {lrange $cmd 1 end} words]} { return 0 }
    set script ""
    foreach w $words {
        if {[string length $w] > [string length $script]} { set script $w }
    }
    set pos [string first $script $cmd]
    if {$pos <= 0} { return 0 }
    return [regexp -all "\n" [string range $cmd 0 [expr {$pos - 1}]]]
}

# Find where the failing assertion was called from: the nearest frame, going
# outwards, whose location is not inside the support files.
proc ::rkv::caller_location {} {
    set depth [info frame]
    for {set n [expr {$depth - 1}]} {$n >= 1} {incr n -1} {
        set loc [frame_location $n]
        if {$loc eq ""} continue
        lassign $loc file line
        if {[string first $::rkv::support_dir/ $file] == 0} continue
        return "[relpath $file]:$line"
    }
    return $::rkv::current_file
}

# Raise an assertion failure carrying the caller's location.
proc ::rkv::assert_failed {msg} {
    set where [::rkv::caller_location]
    return -code error -level 2 -errorcode {RKV ASSERT} "$where: $msg"
}

proc fail {msg} {
    ::rkv::assert_failed $msg
}

# Mark the running test as skipped, with a reason, and stop it.
proc skip {{reason "skipped"}} {
    return -code error -level 1 -errorcode {RKV SKIP} $reason
}

proc assert {condition {detail ""}} {
    if {![uplevel 1 [list expr $condition]]} {
        set msg "Expected \[$condition\] to be true"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

proc assert_equal {value expected {detail ""}} {
    if {$value ne $expected} {
        set msg "Expected '$value' to be equal to '$expected'"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

proc assert_not_equal {value expected {detail ""}} {
    if {$value eq $expected} {
        set msg "Expected '$value' to be not equal to '$expected'"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

proc assert_match {pattern value {detail ""}} {
    if {![string match $pattern $value]} {
        set msg "Expected '$value' to match '$pattern'"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

proc assert_no_match {pattern value {detail ""}} {
    if {[string match $pattern $value]} {
        set msg "Expected '$value' to not match '$pattern'"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

# assert_error pattern {code}: code must raise an error matching pattern.
proc assert_error {pattern code {detail ""}} {
    if {[catch {uplevel 1 $code} err]} {
        if {![string match $pattern $err]} {
            set msg "Expected error matching '$pattern' but got '$err'"
            if {$detail ne ""} { append msg " ($detail)" }
            ::rkv::assert_failed $msg
        }
    } else {
        set msg "Expected an error matching '$pattern' but got '$err'"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

proc assert_range {value min max {detail ""}} {
    if {!($value <= $max && $value >= $min)} {
        set msg "Expected '$value' to be between '$min' and '$max'"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

proc assert_lessthan {value max {detail ""}} {
    if {!($value < $max)} {
        set msg "Expected '$value' to be less than '$max'"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

proc assert_lessthan_equal {value max {detail ""}} {
    if {!($value <= $max)} {
        set msg "Expected '$value' to be less than or equal to '$max'"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

proc assert_morethan {value min {detail ""}} {
    if {!($value > $min)} {
        set msg "Expected '$value' to be more than '$min'"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

proc assert_morethan_equal {value min {detail ""}} {
    if {!($value >= $min)} {
        set msg "Expected '$value' to be more than or equal to '$min'"
        if {$detail ne ""} { append msg " ($detail)" }
        ::rkv::assert_failed $msg
    }
}

# Order-sensitive list comparison that names the first differing element.
proc assert_equal_lists {value expected {detail ""}} {
    if {$value eq $expected} return
    set n [expr {max([llength $value], [llength $expected])}]
    for {set i 0} {$i < $n} {incr i} {
        if {[lindex $value $i] ne [lindex $expected $i]} break
    }
    set msg "Lists differ at index $i: got '[lindex $value $i]', expected '[lindex $expected $i]' (lengths [llength $value] and [llength $expected])"
    if {$detail ne ""} { append msg " ($detail)" }
    ::rkv::assert_failed $msg
}

# assert_type type key ?level?: TYPE of key on the current server.
proc assert_type {type key {level 0}} {
    set got [r $level type $key]
    if {$got ne $type} {
        ::rkv::assert_failed "Expected key '$key' to be of type '$type' but it is '$got'"
    }
}

# assert_encoding enc key ?level?: OBJECT ENCODING of key.
proc assert_encoding {enc key {level 0}} {
    set got [r $level object encoding $key]
    if {![string match $enc $got]} {
        ::rkv::assert_failed "Expected key '$key' to have encoding '$enc' but it is '$got'"
    }
}

# wait_for_condition maxtries delay_ms {condition} else {script}
# Re-evaluates the expr condition up to maxtries times, sleeping delay_ms in
# between; runs the else script (usually `fail "..."`) if it never holds.
proc wait_for_condition {maxtries delay condition else elsescript} {
    if {$else ne "else"} {
        error "usage: wait_for_condition maxtries delay {condition} else {script}"
    }
    while {[incr maxtries -1] >= 0} {
        if {[uplevel 1 [list expr $condition]]} return
        after $delay
    }
    uplevel 1 $elsescript
}

# lsort -unique, under the name older tests use.
proc lsort_unique {list} {
    lsort -unique $list
}
