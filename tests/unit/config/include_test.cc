// include, confdir and sourcedir, through the in-memory file system and through real files
// in a temporary directory.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "test_util.h"

namespace strata::config {
namespace {

using testing::parse;

TEST(Include, ReadsTheFileAtThatPoint) {
  MemoryFileSystem fs({{"/etc/strata/extra.conf", "port 200\npeer extra.example\n"}});
  auto p = parse(
      "port 100\npeer first.example\ninclude /etc/strata/extra.conf\n"
      "server last.example\n",
      fs);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p.config->serving.port, 200);
  ASSERT_EQ(p.config->sources.ntp.size(), 3u);
  EXPECT_EQ(p.config->sources.ntp[1].address, "extra.example");
  // Warnings name the included file and its own line numbers.
  EXPECT_EQ(p.warnings[1],
            "/etc/strata/extra.conf:2: peer is parsed but not active yet in this version");
}

TEST(Include, ErrorsNameTheIncludedFile) {
  MemoryFileSystem fs({{"/etc/strata/bad.conf", "\n\nmakestep 1\n"}});
  auto p = parse("include bad.conf\n", fs);
  EXPECT_EQ(p.error(), "/etc/strata/bad.conf:3: makestep: expected THRESHOLD LIMIT, got \"1\"");
}

TEST(Include, GlobInSortedOrderRelativeToTheIncludingFile) {
  MemoryFileSystem fs({{"/etc/strata/conf.d/20-b.conf", "port 2\n"},
                       {"/etc/strata/conf.d/10-a.conf", "port 1\nworkers 3\n"},
                       {"/etc/strata/conf.d/.hidden.conf", "port 99\n"},
                       {"/etc/strata/conf.d/notes.txt", "not a config"}});
  auto p = parse("include conf.d/*.conf\n", fs);
  ASSERT_TRUE(p.ok()) << p.error();
  EXPECT_EQ(p.config->serving.port, 2);
  EXPECT_EQ(p.config->serving.workers, 3);
  EXPECT_EQ(parse("include ./conf.d//2*.conf", fs).config->serving.port, 2);
}

TEST(Include, NeedsAtLeastOneFile) {
  MemoryFileSystem fs;
  EXPECT_EQ(parse("include /etc/strata/conf.d/*.conf\n", fs).error(),
            "/etc/strata/strata.conf:1: include: no file matches \"/etc/strata/conf.d/*.conf\"");
  EXPECT_EQ(parse("include missing.conf\n", fs).error(),
            "/etc/strata/strata.conf:1: include: cannot read \"/etc/strata/missing.conf\": No "
            "such file or directory");
  EXPECT_EQ(parse("include\n", fs).error(),
            "/etc/strata/strata.conf:1: include: expected PATTERN, got nothing");
  MemoryFileSystem with_dir({{"/etc/strata/d/x.conf", "port 1\n"}});
  EXPECT_EQ(parse("include /etc/strata/d\n", with_dir).error(),
            "/etc/strata/strata.conf:1: include: cannot read \"/etc/strata/d\": is a directory");
}

TEST(Include, LoopsAreDetected) {
  MemoryFileSystem fs({{"/etc/strata/a.conf", "port 1\ninclude b.conf\n"},
                       {"/etc/strata/b.conf", "include a.conf\n"}});
  auto p = parse("include a.conf\n", fs);
  EXPECT_EQ(p.error(),
            "/etc/strata/b.conf:1: include: include loop: \"/etc/strata/a.conf\" is already "
            "being read");
  MemoryFileSystem self({{"/etc/strata/strata.conf", "include strata.conf\n"}});
  EXPECT_EQ(parse("include strata.conf\n", self).error(),
            "/etc/strata/strata.conf:1: include: include loop: \"/etc/strata/strata.conf\" is "
            "already being read");
}

TEST(Include, NestingIsBounded) {
  MemoryFileSystem fs;
  for (int i = 1; i <= 20; ++i) {
    fs.addFile("/c/" + std::to_string(i) + ".conf",
               "include /c/" + std::to_string(i + 1) + ".conf\n");
  }
  fs.addFile("/c/21.conf", "port 1\n");
  auto p = parse("include /c/1.conf\n", fs);
  EXPECT_EQ(p.error(),
            "/c/16.conf:1: include: files nested more than 16 levels deep at \"/c/17.conf\"");
  // 16 levels are fine.
  MemoryFileSystem ok_fs;
  for (int i = 1; i <= 15; ++i) {
    ok_fs.addFile("/c/" + std::to_string(i) + ".conf",
                  "include /c/" + std::to_string(i + 1) + ".conf\n");
  }
  ok_fs.addFile("/c/16.conf", "port 16\n");
  auto ok = parse("include /c/1.conf\n", ok_fs);
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_EQ(ok.config->serving.port, 16);
}

TEST(Include, FileCountAndSizeAreBounded) {
  MemoryFileSystem many;
  for (int i = 0; i < 1001; ++i) many.addFile("/m/" + std::to_string(10000 + i) + ".conf", "");
  EXPECT_EQ(parse("include /m/*.conf\n", many).error(),
            "/etc/strata/strata.conf:1: include: more than 1000 configuration files");
  MemoryFileSystem big({{"/big.conf", std::string(kMaxConfigFileBytes + 1, '#')}});
  EXPECT_EQ(parse("include /big.conf\n", big).error(),
            "/etc/strata/strata.conf:1: include: cannot read \"/big.conf\": larger than 1048576 "
            "bytes");
}

TEST(Include, LimitsCanBeTightened) {
  MemoryFileSystem fs(
      {{"/i/1.conf", "include /i/2.conf\n"}, {"/i/2.conf", "port 2\n"}, {"/i/3.conf", "port 3\n"}});
  ParseLimits limits;
  limits.max_files = 3;  // the main text and two files
  std::vector<std::string> warnings;
  auto r = parseConfigText("include /i/1.conf\ninclude /i/3.conf\n", testing::kFile, fs, warnings,
                           limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "/etc/strata/strata.conf:2: include: more than 3 configuration files");
  limits = ParseLimits{};
  limits.max_include_depth = 1;
  r = parseConfigText("include /i/1.conf\n", testing::kFile, fs, warnings, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "/i/1.conf:1: include: files nested more than 1 levels deep at \"/i/2.conf\"");
  limits = ParseLimits{};
  limits.max_total_bytes = 40;  // 18 + 18 bytes fit, the third file does not
  r = parseConfigText("include /i/1.conf\n", testing::kFile, fs, warnings, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "/i/1.conf:1: include: configuration files larger than 40 bytes in total");
}

TEST(Confdir, ConfFilesByNameFirstDirectoryWins) {
  MemoryFileSystem fs({{"/etc/strata/conf.d/10-port.conf", "port 10\n"},
                       {"/etc/strata/conf.d/30-workers.conf", "workers 30\n"},
                       {"/usr/lib/strata/conf.d/10-port.conf", "port 99\n"},
                       {"/usr/lib/strata/conf.d/20-port.conf", "port 20\nworkers 20\n"},
                       {"/usr/lib/strata/conf.d/README", "not parsed"},
                       {"/usr/lib/strata/conf.d/.swap.conf", "not parsed"}});
  auto p = parse("confdir /etc/strata/conf.d /usr/lib/strata/conf.d /nonexistent\n", fs);
  ASSERT_TRUE(p.ok()) << p.error();
  // 10-port.conf from the first directory, then 20-port.conf, then 30-workers.conf.
  EXPECT_EQ(p.config->serving.port, 20);
  EXPECT_EQ(p.config->serving.workers, 30);
}

TEST(Confdir, Errors) {
  MemoryFileSystem fs({{"/d/bad.conf", "workers many\n"}});
  EXPECT_EQ(parse("confdir /d\n", fs).error(),
            "/d/bad.conf:1: workers: N must be an integer from 0 to 1024, got \"many\"");
  EXPECT_EQ(parse("confdir\n", fs).error(),
            "/etc/strata/strata.conf:1: confdir: expected DIRECTORY... (at most 10), got nothing");
  EXPECT_NE(parse("confdir a b c d e f g h i j k\n", fs).error().find("(at most 10)"),
            std::string::npos);
}

TEST(Sourcedir, ReadsSourcesFilesAndRecordsTheDirectories) {
  MemoryFileSystem fs({{"/run/chrony-dhcp/eth0.sources", "server 192.0.2.1 iburst\n"},
                       {"/etc/strata/sources.d/a.sources", "pool pool.example\npeer p\n"},
                       {"/etc/strata/sources.d/a.conf", "port 1\n"}});
  auto p = parse("server fixed.example\nsourcedir /run/chrony-dhcp\nsourcedir sources.d\n", fs);
  ASSERT_TRUE(p.ok()) << p.error();
  const SourcesConfig& s = p.config->sources;
  ASSERT_EQ(s.ntp.size(), 1u);
  EXPECT_EQ(s.source_dirs, (std::vector<std::vector<std::string>>{{"/run/chrony-dhcp"},
                                                                  {"/etc/strata/sources.d"}}));
  ASSERT_EQ(s.dir_sources.size(), 3u);
  EXPECT_EQ(s.dir_sources[0].address, "192.0.2.1");
  EXPECT_TRUE(s.dir_sources[0].iburst);
  EXPECT_EQ(s.dir_sources[1].type, NtpSourceType::kPool);
  EXPECT_EQ(s.dir_sources[2].type, NtpSourceType::kPeer);
  EXPECT_EQ(p.config->serving.port, 123);  // a.conf is not read
}

TEST(Sourcedir, OnlySourcesAreAllowed) {
  MemoryFileSystem fs({{"/s/x.sources", "server a\nport 5\n"}});
  EXPECT_EQ(parse("sourcedir /s\n", fs).error(),
            "/s/x.sources:2: port: only server, pool and peer directives are allowed in a "
            "sourcedir file");
}

// Real files in a fresh temporary directory, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "strata-config-test-XXXXXX").string();
    char* made = ::mkdtemp(pattern.data());
    if (made != nullptr) path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string write(const std::string& relative, const std::string& content) const {
    std::filesystem::path p = std::filesystem::path(path_) / relative;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << content;
    return p.string();
  }

 private:
  std::string path_;
};

TEST(RealFiles, IncludeConfdirAndSourcedir) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::string main = dir.write("strata.conf",
                               "port 100\n"
                               "include inc/*.conf\n"
                               "confdir conf.d\n"
                               "sourcedir sources.d missing.d\n");
  dir.write("inc/b.conf", "workers 2\n");
  dir.write("inc/a.conf", "workers 1\nport 101\n");
  dir.write("conf.d/x.conf", "workerbatch 64\n");
  dir.write("conf.d/y.txt", "nonsense\n");
  dir.write("sources.d/dhcp.sources", "server 192.0.2.7\n");
  std::vector<std::string> warnings;
  auto r = parseConfigFile(main, warnings);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->serving.port, 101);
  EXPECT_EQ(r->serving.workers, 2);
  EXPECT_EQ(r->serving.worker_batch, 64);
  ASSERT_EQ(r->sources.dir_sources.size(), 1u);
  EXPECT_EQ(r->sources.dir_sources[0].address, "192.0.2.7");
  EXPECT_EQ(r->sources.source_dirs[0][0], dir.path() + "/sources.d");
}

TEST(RealFiles, MissingAndSpecialFilesAreRefusedWithoutHanging) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  std::vector<std::string> warnings;
  auto missing = parseConfigFile(dir.path() + "/none.conf", warnings);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "cannot read \"" + dir.path() + "/none.conf\": No such file or directory");

  std::string fifo = dir.path() + "/fifo.conf";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string main = dir.write("main.conf", "include fifo.conf\n");
  auto r = parseConfigFile(main, warnings);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            main + ":1: include: cannot read \"" + fifo + "\": not a regular file");

  std::string main2 = dir.write("main2.conf", "include " + dir.path() + "\n");
  r = parseConfigFile(main2, warnings);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("is a directory"), std::string::npos);

  RealFileSystem fs;
  auto listed = fs.listDirectory(dir.path() + "/no-such-dir");
  ASSERT_TRUE(listed.ok());
  EXPECT_TRUE(listed->empty());
}

}  // namespace
}  // namespace strata::config
