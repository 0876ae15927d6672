// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "core/paths.h"

using namespace brieflow;

class TestPaths : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void overrideHoldsEveryLocation();
    void environmentVariableIsUsed();
    void flagWinsOverEnvironment();
    void demoIsSeparate_data();
    void demoIsSeparate();
    void standardLocationsNameBrieflow();
    void ensureExistsCreatesFolders();
    void ensureExistsReportsFailure();

private:
    QTemporaryDir m_tmp;
};

void TestPaths::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_tmp.isValid());
    qunsetenv(Paths::dataDirEnvironmentVariable);
}

void TestPaths::overrideHoldsEveryLocation()
{
    const Paths p = Paths::resolve({m_tmp.path(), false, false});
    QVERIFY(p.isOverridden());
    const QString root = QDir::cleanPath(m_tmp.path());
    QCOMPARE(p.dataDir(), root);
    QCOMPARE(p.configDir(), root + QStringLiteral("/config"));
    QCOMPARE(p.cacheDir(), root + QStringLiteral("/cache"));
    QCOMPARE(p.logDir(), root + QStringLiteral("/logs"));
    QCOMPARE(p.databaseFile(), root + QStringLiteral("/brieflow.sqlite3"));
    QCOMPARE(p.settingsFile(), root + QStringLiteral("/config/brieflow.ini"));
    QCOMPARE(p.outputsDir(), root + QStringLiteral("/outputs"));
}

void TestPaths::environmentVariableIsUsed()
{
    qputenv(Paths::dataDirEnvironmentVariable, m_tmp.path().toUtf8());
    const Paths p = Paths::resolve();
    qunsetenv(Paths::dataDirEnvironmentVariable);
    QVERIFY(p.isOverridden());
    QCOMPARE(p.dataDir(), QDir::cleanPath(m_tmp.path()));

    const Paths ignored = Paths::resolve({{}, false, false});
    QVERIFY(!ignored.isOverridden());
}

void TestPaths::flagWinsOverEnvironment()
{
    qputenv(Paths::dataDirEnvironmentVariable, "/nonexistent/from-env");
    const QString flag = m_tmp.filePath(QStringLiteral("from-flag"));
    const Paths p = Paths::resolve({flag, false, true});
    qunsetenv(Paths::dataDirEnvironmentVariable);
    QCOMPARE(p.dataDir(), QDir::cleanPath(flag));
}

void TestPaths::demoIsSeparate_data()
{
    QTest::addColumn<bool>("overridden");
    QTest::newRow("with --data-dir") << true;
    QTest::newRow("standard locations") << false;
}

void TestPaths::demoIsSeparate()
{
    QFETCH(bool, overridden);
    const QString root = overridden ? m_tmp.path() : QString();
    const Paths real = Paths::resolve({root, false, false});
    const Paths demo = Paths::resolve({root, true, false});
    QVERIFY(demo.isDemo());
    QVERIFY(!real.isDemo());
    QVERIFY(demo.databaseFile() != real.databaseFile());
    QVERIFY(demo.settingsFile() != real.settingsFile());
    QVERIFY(demo.dataDir().endsWith(QStringLiteral("/demo")));
}

void TestPaths::standardLocationsNameBrieflow()
{
    const Paths p = Paths::resolve({{}, false, false});
    for (auto where : {Paths::Location::Config, Paths::Location::Data, Paths::Location::Cache,
                       Paths::Location::Logs}) {
        QVERIFY2(p.location(where).contains(QStringLiteral("/Brieflow")),
                 qPrintable(p.location(where)));
        QVERIFY(QFileInfo(p.location(where)).isAbsolute());
    }
}

void TestPaths::ensureExistsCreatesFolders()
{
    const Paths p = Paths::resolve({m_tmp.filePath(QStringLiteral("fresh")), false, false});
    QCOMPARE(p.ensureExists(), QString());
    QVERIFY(QFileInfo(p.configDir()).isDir());
    QVERIFY(QFileInfo(p.logDir()).isDir());
    QVERIFY(QFileInfo(p.outputsDir()).isDir());
}

void TestPaths::ensureExistsReportsFailure()
{
    // A regular file where the data folder should be: mkpath must fail and name the folder.
    const QString blocker = m_tmp.filePath(QStringLiteral("blocker"));
    QFile f(blocker);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.close();
    const Paths p = Paths::resolve({blocker + QStringLiteral("/inside"), false, false});
    QVERIFY(!p.ensureExists().isEmpty());
}

QTEST_GUILESS_MAIN(TestPaths)
#include "tst_paths.moc"
