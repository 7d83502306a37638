// Directive dispatch, warnings, error reporting and the overall syntax.
#include "server/config/parser.h"

#include <gtest/gtest.h>

#include "server/config/directive_table.h"
#include "test_util.h"

namespace strata::config {
namespace {

using testing::parse;
using testing::parseError;
using testing::parseOk;

TEST(Parser, EmptyTextGivesDefaults) {
  auto p = parse("");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(*p.config, Config{});
  EXPECT_TRUE(p.warnings.empty());
}

TEST(Parser, UnknownDirectiveIsAnErrorWithFileAndLine) {
  EXPECT_EQ(parseError("port 1\n\n# x\nfoo bar\n"),
            "/etc/strata/strata.conf:4: unknown directive \"foo\"");
  EXPECT_EQ(parseError("Prot 1"), "/etc/strata/strata.conf:1: unknown directive \"Prot\"");
}

TEST(Parser, DirectiveNamesAreCaseInsensitive) {
  Config c = parseOk("PORT 5\nAllow 10/8\nMakeStep 1 3\n");
  EXPECT_EQ(c.serving.port, 5);
  EXPECT_EQ(c.access.rules.size(), 1u);
  EXPECT_TRUE(c.discipline.makestep);
}

TEST(Parser, ChronyDirectivesStrataLacksAreWarnedAndIgnored) {
  auto p = parse("rtcfile /var/lib/chrony/rtc\nport 5\nauthselectmode require\nlinux_hz 100\n");
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p.config->serving.port, 5);
  EXPECT_EQ(p.warnings,
            (std::vector<std::string>{
                "/etc/strata/strata.conf:1: rtcfile is a chrony directive that Strata does not "
                "implement; ignored",
                "/etc/strata/strata.conf:3: authselectmode is a chrony directive that Strata does "
                "not implement; ignored",
                "/etc/strata/strata.conf:4: linux_hz is a chrony directive that Strata does not "
                "implement; ignored"}));
}

TEST(Parser, InactiveDirectivesWarnActiveOnesDoNot) {
  auto p = parse(
      "port 11123\nbindaddress 127.0.0.1\nallow 127/8\ndeny 10/8\nlocal\n"
      "pidfile /run/x.pid\nworkers 2\nworkerbatch 8\nuser nobody\n"
      "peer ntp.example\nmanual\n");
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p.warnings,
            (std::vector<std::string>{
                "/etc/strata/strata.conf:10: peer is parsed but not active yet in this version",
                "/etc/strata/strata.conf:11: manual is parsed but not active yet in this "
                "version"}));
}

TEST(Parser, NoStatusWarningForALineWithAnError) {
  auto p = parse("rtcsync x\n");
  EXPECT_FALSE(p.ok());
  EXPECT_TRUE(p.warnings.empty());
}

TEST(Parser, ContinuesAfterErrorsAndReportsThemAll) {
  auto p = parse("port x\nserver a ibrust\nmanual\nfoo\nmakestep 1.0\n");
  EXPECT_FALSE(p.ok());
  EXPECT_EQ(p.error(),
            "/etc/strata/strata.conf:1: port: PORT must be an integer from 0 to 65535, got \"x\"\n"
            "/etc/strata/strata.conf:2: server: unknown option \"ibrust\"\n"
            "/etc/strata/strata.conf:4: unknown directive \"foo\"\n"
            "/etc/strata/strata.conf:5: makestep: expected THRESHOLD LIMIT, got \"1.0\"");
  // Warnings of the good lines are still returned.
  EXPECT_EQ(p.warnings, (std::vector<std::string>{"/etc/strata/strata.conf:3: manual is parsed "
                                                  "but not active yet in this version"}));
}

TEST(Parser, ErrorListIsBounded) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "nonsense\n";
  auto p = parse(text);
  ASSERT_FALSE(p.ok());
  std::string e = p.error();
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 50);  // 50 errors + the note
  EXPECT_NE(e.find("/etc/strata/strata.conf:50: unknown directive"), std::string::npos);
  EXPECT_EQ(e.find("/etc/strata/strata.conf:51:"), std::string::npos);
  EXPECT_NE(e.find("too many errors; the rest are not shown"), std::string::npos);
}

TEST(Parser, CommentsAndWhitespace) {
  Config c = parseOk(
      "# comment\n"
      "   ! indented comment\n"
      ";semicolon\n"
      "%percent\n"
      "\t port \t 7 \t # trailing comment\r\n"
      "allow 10/8 ; lab network\n");
  EXPECT_EQ(c.serving.port, 7);
  EXPECT_EQ(c.access.rules.size(), 1u);
}

TEST(Parser, ReportsUnusableLines) {
  std::string text = "port 1\n" + std::string(5000, 'a') + "\nport ";
  text.push_back('\0');
  EXPECT_EQ(parseError(text),
            "/etc/strata/strata.conf:2: line longer than 4096 bytes\n"
            "/etc/strata/strata.conf:3: line contains a NUL byte");
}

TEST(Parser, KnowsEveryChrony43Directive) {
  // chrony.conf(5) of chrony 4.3, every directive it documents, plus obsolete ones 4.3
  // still accepts.
  const char* chrony43[] = {"acquisitionport",
                            "allow",
                            "authselectmode",
                            "bindacqaddress",
                            "bindacqdevice",
                            "bindaddress",
                            "bindcmdaddress",
                            "bindcmddevice",
                            "binddevice",
                            "broadcast",
                            "clientloglimit",
                            "clockprecision",
                            "cmdallow",
                            "cmddeny",
                            "cmdport",
                            "cmdratelimit",
                            "combinelimit",
                            "confdir",
                            "corrtimeratio",
                            "deny",
                            "driftfile",
                            "dscp",
                            "dumpdir",
                            "fallbackdrift",
                            "hwclockfile",
                            "hwtimestamp",
                            "include",
                            "initstepslew",
                            "keyfile",
                            "leapsecmode",
                            "leapsectz",
                            "local",
                            "lock_all",
                            "log",
                            "logbanner",
                            "logchange",
                            "logdir",
                            "mailonchange",
                            "makestep",
                            "manual",
                            "maxchange",
                            "maxclockerror",
                            "maxdistance",
                            "maxdrift",
                            "maxjitter",
                            "maxntsconnections",
                            "maxsamples",
                            "maxslewrate",
                            "maxupdateskew",
                            "minsamples",
                            "minsources",
                            "nocerttimecheck",
                            "noclientlog",
                            "nosystemcert",
                            "ntpsigndsocket",
                            "ntsdumpdir",
                            "ntsntpserver",
                            "ntsport",
                            "ntsprocesses",
                            "ntsratelimit",
                            "ntsrefresh",
                            "ntsrotate",
                            "ntsservercert",
                            "ntsserverkey",
                            "ntstrustedcerts",
                            "peer",
                            "pidfile",
                            "pool",
                            "port",
                            "ptpport",
                            "ratelimit",
                            "refclock",
                            "reselectdist",
                            "rtcautotrim",
                            "rtcdevice",
                            "rtcfile",
                            "rtconutc",
                            "rtcsync",
                            "sched_priority",
                            "server",
                            "smoothtime",
                            "sourcedir",
                            "stratumweight",
                            "tempcomp",
                            "user",
                            "dumponexit",
                            "commandkey",
                            "generatecommandkey",
                            "linux_freq_scale",
                            "linux_hz"};
  auto structural = structuralDirectiveNames();
  for (std::string_view name : chrony43) {
    bool known = findTypedDirective(name) != nullptr || isIgnoredChronyDirective(name) ||
                 std::find(structural.begin(), structural.end(), name) != structural.end();
    EXPECT_TRUE(known) << name;
  }
}

TEST(Parser, NoNameIsBothTypedAndIgnored) {
  for (std::string_view name : typedDirectiveNames()) {
    EXPECT_FALSE(isIgnoredChronyDirective(name)) << name;
  }
}

TEST(Parser, ParseConfigFileReportsUnreadableFile) {
  MemoryFileSystem fs;
  std::vector<std::string> warnings;
  auto r = parseConfigFile("/etc/strata/missing.conf", fs, warnings);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "cannot read \"/etc/strata/missing.conf\": No such file or directory");
}

TEST(Parser, QuotesOddBytesInMessages) {
  EXPECT_EQ(parseError("port \x01\xff\"x"),
            "/etc/strata/strata.conf:1: port: PORT must be an integer from 0 to 65535, got "
            "\"\\x01\\xFF\\x22x\"");
  std::string long_word(100, 'z');
  std::string e = parseError("port " + long_word);
  EXPECT_NE(e.find("\"" + std::string(64, 'z') + "...\""), std::string::npos) << e;
}

}  // namespace
}  // namespace strata::config
