# client.tcl: a RESP client written in plain Tcl, for the test suite.
#
# What it owns: opening client connections to a server under test, encoding
# commands as RESP multibulk requests, and decoding every RESP2 and RESP3 reply
# type back into ordinary Tcl values.
#
# Why it is built this way:
#   * Each client is a command (an alias onto ::rkv::client::dispatch), so a
#     test reads like a session: `$c set k v`, `$c read`, `$c close`. Any word
#     that is not one of the few local methods below is sent to the server as
#     a command, which is why the local method names avoid every Redis command.
#   * Replies are read from a blocking socket, but before each reply we wait
#     for readability in the event loop with a deadline. A server that hangs
#     therefore fails the current test with "timeout" instead of stalling the
#     whole run.
#   * Values are byte strings: the channel is binary, so a Tcl string whose
#     characters are all <= 0xff goes out as those bytes, and replies come
#     back the same way. A string holding characters above 0xff is sent as
#     UTF-8. Use `encoding convertfrom utf-8` on a reply to get text back.
#   * Server errors become Tcl errors whose message is the error text without
#     the leading '-' (for example "ERR unknown command ..."), with errorcode
#     {RESP ERR <text>}. An error nested inside an array does not stop the
#     array from being read to its end, so the connection stays in sync; the
#     first nested error is raised once the whole reply has been consumed.
#
# Decoding map (RESP3 shapes flatten to plain Tcl lists):
#   +simple  -error  :integer  $bulk  *array   (RESP2 nulls $-1 / *-1 -> "")
#   _null -> ""      ,double -> its text ("1.5", "inf")   #t/#f -> 1/0
#   (bignum -> its digits      =verbatim -> payload without the "txt:" prefix
#   %map -> flat key/value list (usable as a dict)   ~set, >push -> list
#   !blob error -> Tcl error   |attribute -> kept in `$c attributes`, then the
#   reply it annotates is read and returned.
#
# Local methods (everything else is a server command):
#   $c read                 read one reply (deferred clients, pipelining)
#   $c send cmd args...     write one command without reading its reply
#   $c write bytes          queue raw bytes, unencoded (malformed input tests)
#   $c flush                flush queued bytes to the socket
#   $c readraw 0|1          1: every read returns one raw protocol line,
#                           without CRLF ("+OK", ":1", "$3", "bar", ...)
#   $c deferred 0|1         1: commands are sent but replies are not read
#   $c protocol             2 or 3, as last negotiated through HELLO
#   $c attributes           the last RESP3 attribute map seen
#   $c channel              the underlying Tcl socket
#   $c reconnect            drop the connection and open a new one
#   $c is_closed            1 once the connection was closed or hit EOF
#   $c close                close the connection and delete the command

namespace eval ::rkv::client {
    variable next_id 0
    # Per-client state, keyed by client id.
    variable fd          ;# socket channel, "" once closed
    variable host
    variable port
    variable readraw     ;# 1: reads return raw protocol lines
    variable deferred    ;# 1: commands do not wait for their reply
    variable protocol    ;# 2 or 3, tracked from successful HELLO commands
    variable attributes  ;# last RESP3 attribute map
    variable wake        ;# vwait target used while waiting for readability
}

# Connect to host:port and return the name of a new client command.
# Raises a Tcl error when the connection cannot be opened.
proc ::rkv::client::open {host port {deferred 0}} {
    variable next_id
    set id [incr next_id]
    set cmd ::rkv::c$id
    set ::rkv::client::host($id) $host
    set ::rkv::client::port($id) $port
    set ::rkv::client::fd($id) ""
    set ::rkv::client::readraw($id) 0
    set ::rkv::client::deferred($id) $deferred
    set ::rkv::client::protocol($id) 2
    set ::rkv::client::attributes($id) {}
    if {[catch {connect $id} err]} {
        forget $id
        return -code error $err
    }
    interp alias {} $cmd {} ::rkv::client::dispatch $id
    return $cmd
}

proc ::rkv::client::connect {id} {
    variable fd
    set sock [socket $::rkv::client::host($id) $::rkv::client::port($id)]
    # Binary translation: bytes in, bytes out, no CRLF rewriting. Full
    # buffering: a command is written whole and then flushed once.
    fconfigure $sock -translation binary -buffering full -blocking 1
    set fd($id) $sock
    set ::rkv::client::protocol($id) 2
}

proc ::rkv::client::forget {id} {
    foreach v {fd host port readraw deferred protocol attributes wake} {
        unset -nocomplain ::rkv::client::${v}($id)
    }
}

proc ::rkv::client::dispatch {id args} {
    variable fd
    if {![info exists fd($id)]} {
        error "client ::rkv::c$id was closed"
    }
    set method [lindex $args 0]
    switch -exact -- $method {
        read       { return [read_reply $id] }
        readraw    { set ::rkv::client::readraw($id) [lindex $args 1]; return }
        deferred   { set ::rkv::client::deferred($id) [lindex $args 1]; return }
        protocol   { return $::rkv::client::protocol($id) }
        attributes { return $::rkv::client::attributes($id) }
        channel    { return $fd($id) }
        is_closed  { return [expr {$fd($id) eq ""}] }
        write      { live_fd $id; puts -nonewline $fd($id) [lindex $args 1]; return }
        flush      { live_fd $id; flush $fd($id); return }
        send       { send_command $id [lrange $args 1 end]; return }
        close      { close_client $id; return }
        reconnect  { drop $id; connect $id; return }
    }
    send_command $id $args
    if {$::rkv::client::deferred($id)} return
    set reply [read_reply $id]
    # HELLO decides how the server encodes replies; remember it so tests can
    # ask `$c protocol`. Decoding itself needs no mode: RESP3 types carry their
    # own prefix bytes.
    if {[string equal -nocase $method hello] && [llength $args] > 1 && !$::rkv::client::readraw($id)} {
        set ::rkv::client::protocol($id) [lindex $args 1]
    }
    return $reply
}

# Return the socket, or raise if the connection is gone.
proc ::rkv::client::live_fd {id} {
    set sock $::rkv::client::fd($id)
    if {$sock eq ""} {
        error "connection to $::rkv::client::host($id):$::rkv::client::port($id) is closed"
    }
    return $sock
}

# Encode one command as a RESP multibulk request, write and flush it.
proc ::rkv::client::send_command {id argv} {
    set sock [live_fd $id]
    set req "*[llength $argv]\r\n"
    foreach arg $argv {
        # Characters above 0xff cannot be bytes: send them as UTF-8.
        if {[regexp {[^\u0000-\u00ff]} $arg]} {
            set arg [encoding convertto utf-8 $arg]
        }
        append req "\$[string length $arg]\r\n$arg\r\n"
    }
    if {[catch {puts -nonewline $sock $req; flush $sock} err]} {
        drop $id
        error "write to server failed: $err"
    }
}

proc ::rkv::client::drop {id} {
    variable fd
    if {$fd($id) ne ""} {
        catch {close $fd($id)}
        set fd($id) ""
    }
}

proc ::rkv::client::close_client {id} {
    drop $id
    catch {interp alias {} ::rkv::c$id {}}
    forget $id
}

# Block until the socket has data or the current deadline passes. The
# deadline comes from the test framework (::rkv::remaining_ms) so that one
# hung reply cannot outlive the test's time budget.
proc ::rkv::client::wait_readable {id} {
    variable wake
    set sock [live_fd $id]
    if {[chan pending input $sock] > 0} return
    set ms [::rkv::remaining_ms]
    if {$ms <= 0} {
        error "timeout: no reply from $::rkv::client::host($id):$::rkv::client::port($id) (time budget exhausted)"
    }
    set wake($id) ""
    chan event $sock readable [list set ::rkv::client::wake($id) ready]
    set timer [after $ms [list set ::rkv::client::wake($id) timeout]]
    vwait ::rkv::client::wake($id)
    after cancel $timer
    catch {chan event $sock readable {}}
    if {$wake($id) eq "timeout"} {
        error "timeout: no reply from $::rkv::client::host($id):$::rkv::client::port($id) within [expr {$ms / 1000.0}] s"
    }
}

# Read one CRLF-terminated line and return it without the CRLF. EOF closes
# the client and raises, because a half-read reply cannot be recovered.
proc ::rkv::client::read_line {id} {
    set sock [live_fd $id]
    if {[gets $sock line] < 0} {
        drop $id
        error "connection closed by server ($::rkv::client::host($id):$::rkv::client::port($id))"
    }
    if {[string index $line end] eq "\r"} {
        set line [string range $line 0 end-1]
    }
    return $line
}

# Read exactly len bytes of payload plus the CRLF that follows it.
proc ::rkv::client::read_bulk_body {id len} {
    set sock [live_fd $id]
    set data [::read $sock [expr {$len + 2}]]
    if {[string length $data] != $len + 2} {
        drop $id
        error "connection closed by server in the middle of a bulk reply"
    }
    return [string range $data 0 end-2]
}

# Read one full reply (or one raw line in readraw mode).
proc ::rkv::client::read_reply {id} {
    wait_readable $id
    if {$::rkv::client::readraw($id)} {
        return [read_line $id]
    }
    return [read_value $id]
}

# Decode one RESP value. Errors are raised; containers read all their
# elements first and then raise the first nested error, if any.
proc ::rkv::client::read_value {id} {
    set line [read_line $id]
    set type [string index $line 0]
    set payload [string range $line 1 end]
    switch -exact -- $type {
        + { return $payload }
        - { return -code error -errorcode [list RESP ERR $payload] $payload }
        : { return $payload }
        , { return $payload }
        ( { return $payload }
        _ { return {} }
        # { return [expr {$payload eq "t" ? 1 : 0}] }
        $ {
            if {$payload < 0} { return {} }
            return [read_bulk_body $id $payload]
        }
        = {
            # Verbatim string: "fmt:" then the text; tests want the text.
            return [string range [read_bulk_body $id $payload] 4 end]
        }
        ! {
            set msg [read_bulk_body $id $payload]
            return -code error -errorcode [list RESP ERR $msg] $msg
        }
        * - ~ - > {
            if {$payload < 0} { return {} }
            return [read_elements $id $payload]
        }
        % {
            return [read_elements $id [expr {$payload * 2}]]
        }
        | {
            set ::rkv::client::attributes($id) [read_elements $id [expr {$payload * 2}]]
            return [read_value $id]
        }
        default {
            drop $id
            error "protocol error: unexpected reply line '[string range $line 0 60]'"
        }
    }
}

proc ::rkv::client::read_elements {id count} {
    set result {}
    set first_error {}
    for {set i 0} {$i < $count} {incr i} {
        if {[catch {read_value $id} value opts]} {
            # A dropped connection cannot be resynchronised: stop now.
            if {$::rkv::client::fd($id) eq ""} { return -options $opts $value }
            if {$first_error eq ""} { set first_error [list $value $opts] }
            lappend result $value
        } else {
            lappend result $value
        }
    }
    if {$first_error ne ""} {
        return -options [lindex $first_error 1] [lindex $first_error 0]
    }
    return $result
}
