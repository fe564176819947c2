#!/usr/bin/perl
# quiet-libtorch.pl COMMAND [ARG...]: runs COMMAND (the ./icld launcher runs java through it)
# with its stderr filtered, and exits as it exits.
#
# libtorch logs "Could not initialize NNPACK! Reason: Unsupported hardware." on every
# convolution on a CPU that NNPACK does not support, thousands of lines in a pipeline run: the
# first is kept, the others dropped. DJL's in-place copy into a tensor (a checkpoint restored)
# makes libtorch warn that AutoNonVariableTypeMode is deprecated, which says nothing about icld:
# dropped. Neither can be turned off from Java, as libtorch reads TORCH_CPP_LOG_LEVEL only when
# torch's Python module starts it. Everything else passes on at once, progress bars redrawn in
# place ("\r") too. COMMAND runs as a child so that its last words are out before this exits.
use strict;
use warnings;

pipe(my $reader, my $writer) or die "icld: pipe: $!\n";
my $pid = fork() // die "icld: fork: $!\n";
if ($pid == 0) {
  close $reader;
  open(STDERR, '>&', $writer) or die "icld: stderr: $!\n";
  close $writer;
  exec { $ARGV[0] } @ARGV or die "icld: cannot run $ARGV[0]: $!\n";
}
close $writer;
# A signal meant for the launcher is meant for the command; the filter ends when it does.
for my $signal (qw(INT TERM HUP)) {
  $SIG{$signal} = sub { kill $signal, $pid };
}

$| = 1;
my $pending = '';
my $nnpack_seen = 0;
while (1) {
  my $read = sysread($reader, my $chunk, 65536);
  if (!defined $read) {
    next if $!{EINTR};
    last;
  }
  last if $read == 0;
  $pending .= $chunk;
  while ($pending =~ s/\A([^\r\n]*[\r\n])//) {
    my $line = $1;
    # A warning may follow a progress bar's text on the same line: the text stays.
    if ($line =~ /\A(.*?)(\[W[^\]]*\] .*?
                  (Could\ not\ initialize\ NNPACK|AutoNonVariableTypeMode\ is\ deprecated).*)\z/sx) {
      my ($before, $warning, $which) = ($1, $2, $3);
      print STDERR $before;
      print STDERR $warning if $which =~ /NNPACK/ && !$nnpack_seen++;
      next;
    }
    print STDERR $line;
  }
  # A partial line waits only while it may still become a libtorch warning ("[W...").
  if ($pending ne '' && $pending !~ /\A\[(W|\z)/) {
    print STDERR $pending;
    $pending = '';
  }
}
print STDERR $pending;
while (waitpid($pid, 0) == -1 && $!{EINTR}) {}
exit($? & 127 ? 128 + ($? & 127) : $? >> 8);
