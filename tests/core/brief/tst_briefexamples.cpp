// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QTest>

#include "core/brief/briefcsv.h"
#include "core/brief/briefjson.h"
#include "tests/core/brief/brieftestutil.h"

using namespace brieflow;

namespace {

const QString examplesDir = QStringLiteral(BRIEFLOW_EXAMPLES_DIR);

/**
 * What the validator must say about each example, by path relative to the examples folder: one
 * "where|field|keyword" per issue in order (where: "brief" for JSON, "file" or "row N" for CSV).
 * An empty list means the example is valid. Every example file needs an entry here.
 */
const QMap<QString, QStringList> &expectations()
{
    static const QMap<QString, QStringList> table = {
        {QStringLiteral("brief.json"), {}},
        {QStringLiteral("brief-cafe-nandu.json"), {}},
        {QStringLiteral("brief-notekeeper-minimal.json"), {}},
        {QStringLiteral("briefs.csv"), {}},
        {QStringLiteral("briefs-excel-semicolons.csv"), {}},
        {QStringLiteral("invalid/missing-fields.json"),
         {QStringLiteral("brief|audience|Audience is required."),
          QStringLiteral("brief|value_proposition|Value proposition is required.")}},
        {QStringLiteral("invalid/unknown-fields.json"),
         {QStringLiteral("brief|budget|Unknown field \"budget\" — a brief has no such field."),
          QStringLiteral("brief|image.style|the image options have no such field")}},
        {QStringLiteral("invalid/too-long.json"),
         {QStringLiteral("brief|product_name|too long: 94 characters, the limit is 80")}},
        {QStringLiteral("invalid/control-character.json"),
         {QStringLiteral("brief|audience|invisible control character (U+0007) at character 22")}},
        {QStringLiteral("invalid/product-name-two-lines.json"),
         {QStringLiteral("brief|product_name|must be on one line")}},
        {QStringLiteral("invalid/bad-aspect-ratio.json"),
         {QStringLiteral("brief|image.aspect_ratio|got \"16x9\". Did you mean \"16:9\"?")}},
        {QStringLiteral("invalid/wrong-types.json"),
         {QStringLiteral("brief|tone|Tone must be text in double quotes; got a list"),
          QStringLiteral("brief|image.count|without quotes")}},
        {QStringLiteral("invalid/too-many-images.json"),
         {QStringLiteral("brief|image.count|from 1 to 4; got 6"),
          QStringLiteral("brief|image.output_format|got \"gif\"")}},
        {QStringLiteral("invalid/duplicate-key.json"),
         {QStringLiteral("brief|product_name|Product name is given 2 times (\"product_name\") — "
                         "keep only one.")}},
        {QStringLiteral("invalid/not-json.json"),
         {QStringLiteral(
             "brief||isn't valid JSON: line 1, column 1 — a brief file starts with {")}},
        {QStringLiteral("invalid/trailing-comma.json"),
         {QStringLiteral("brief||line 5, column 1 — there is probably a comma too many")}},
        {QStringLiteral("invalid/list-of-briefs.json"), {QStringLiteral("brief||a list in [ ]")}},
        {QStringLiteral("invalid/empty.json"), {QStringLiteral("brief||The file is empty")}},
        {QStringLiteral("invalid/not-utf8.json"),
         {QStringLiteral("brief||isn't UTF-8 text: line 2, column 23 has the byte 0xE9")}},
        {QStringLiteral("invalid/bad-rows.csv"),
         {QStringLiteral("row 3|audience|Audience is required."),
          QStringLiteral("row 4|image.count|got \"two\""),
          QStringLiteral("row 5||This row has 6 cells but the header row has 5 columns"),
          QStringLiteral("row 6|image.aspect_ratio|Did you mean \"16:9\"?")}},
        {QStringLiteral("invalid/unknown-column.csv"),
         {QStringLiteral("file|budget|Unknown column \"budget\" (column D)")}},
        {QStringLiteral("invalid/missing-column.csv"),
         {QStringLiteral("file|value_proposition|required column \"value_proposition\" is "
                         "missing")}},
        {QStringLiteral("invalid/unterminated-quote.csv"),
         {QStringLiteral("row 3|audience|never closed")}},
        {QStringLiteral("invalid/only-header.csv"), {QStringLiteral("file||no briefs")}},
        {QStringLiteral("invalid/not-utf8.csv"),
         {QStringLiteral("file||isn't saved as UTF-8 text"),
          QStringLiteral("row 2|product_name|0xE9")}},
    };
    return table;
}

QStringList exampleFiles()
{
    QStringList files;
    QDirIterator it(examplesDir, {QStringLiteral("*.json"), QStringLiteral("*.csv")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(QDir(examplesDir).relativeFilePath(it.next()));
    files.sort();
    return files;
}

QByteArray readExample(const QString &relativePath)
{
    QFile file(examplesDir + QLatin1Char('/') + relativePath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

// Every issue as {"where|field", message}.
QList<std::pair<QString, QString>> issuesOf(const QString &path, const QByteArray &data)
{
    QList<std::pair<QString, QString>> issues;
    if (path.endsWith(QLatin1String(".json"))) {
        const auto result = briefFromJson(data);
        if (!result.ok()) {
            for (const BriefIssue &issue : result.error())
                issues.append({QLatin1String("brief|") + issue.field, issue.message});
        }
        return issues;
    }
    const CsvBriefs result = briefsFromCsv(data);
    for (const BriefIssue &issue : result.fileIssues)
        issues.append({QLatin1String("file|") + issue.field, issue.message});
    for (const CsvBriefRow &row : result.rows) {
        for (const BriefIssue &issue : row.issues)
            issues.append(
                {QStringLiteral("row %1|%2").arg(row.row).arg(issue.field), issue.message});
    }
    return issues;
}

} // namespace

class TestBriefExamples : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void examplesSayWhatTheTableSays_data();
    void examplesSayWhatTheTableSays();
    void everyExpectationHasAFile();
    void goodExamplesHaveTheirContent();
};

void TestBriefExamples::examplesSayWhatTheTableSays_data()
{
    QTest::addColumn<QString>("path");
    const QStringList files = exampleFiles();
    QVERIFY2(files.size() >= 20, qPrintable(examplesDir));
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << file;
}

void TestBriefExamples::examplesSayWhatTheTableSays()
{
    QFETCH(QString, path);
    QVERIFY2(
        expectations().contains(path),
        qPrintable(QStringLiteral("%1 has no expectation in tst_briefexamples.cpp").arg(path)));
    const QByteArray data = readExample(path);
    const auto issues = issuesOf(path, data);

    QString got;
    QStringList where;
    for (const auto &[key, message] : issues) {
        where.append(key);
        got += QLatin1Char('\n') + key + QLatin1String(": ") + message;
    }
    QStringList expectedWhere;
    QStringList keywords;
    for (const QString &expectation : expectations().value(path)) {
        expectedWhere.append(expectation.section(QLatin1Char('|'), 0, 1));
        keywords.append(expectation.section(QLatin1Char('|'), 2));
    }
    QVERIFY2(where == expectedWhere, qPrintable(QLatin1String("got:") + got));
    for (qsizetype i = 0; i < keywords.size(); ++i)
        QVERIFY2(issues[i].second.contains(keywords[i]), qPrintable(QLatin1String("got:") + got));
    if (path.startsWith(QLatin1String("invalid/")))
        QVERIFY2(!issues.isEmpty(), "an example under invalid/ must have problems");
    else
        QVERIFY2(issues.isEmpty(), qPrintable(QLatin1String("got:") + got));
}

void TestBriefExamples::everyExpectationHasAFile()
{
    const QStringList files = exampleFiles();
    for (auto it = expectations().cbegin(); it != expectations().cend(); ++it)
        QVERIFY2(files.contains(it.key()), qPrintable(it.key() + QLatin1String(" is missing")));
}

void TestBriefExamples::goodExamplesHaveTheirContent()
{
    const auto trail = briefFromJson(readExample(QStringLiteral("brief.json")));
    QVERIFY(trail.ok());
    QCOMPARE(trail->productName, QStringLiteral("TrailLite 2"));
    QCOMPARE(trail->image, (ImageOptions{QStringLiteral("16:9"), 2, QStringLiteral("png")}));
    QCOMPARE(briefFromJson(briefToJson(*trail)).value(), *trail);

    const auto cafe = briefFromJson(readExample(QStringLiteral("brief-cafe-nandu.json")));
    QVERIFY(cafe.ok());
    QCOMPARE(cafe->productName, QStringLiteral("Café Ñandú"));

    const CsvBriefs csv = briefsFromCsv(readExample(QStringLiteral("briefs.csv")));
    QVERIFY(csv.ok());
    QCOMPARE(csv.validCount(), 5);
    QCOMPARE(csv.rows[1].brief.productName, QStringLiteral("Café Ñandú"));
    QVERIFY(csv.rows[0].brief.brandNotes.contains(QLatin1Char('\n')));
    QVERIFY(csv.rows[0].brief.brandNotes.contains(QLatin1String("\"TrailLite\"")));
    QCOMPARE(csv.rows.last().row, 6); // line breaks inside quoted cells don't start a new row
    QCOMPARE(csv.rows[2].brief.image, ImageOptions()); // empty cells take the defaults

    const CsvBriefs semicolons =
        briefsFromCsv(readExample(QStringLiteral("briefs-excel-semicolons.csv")));
    QVERIFY(semicolons.ok());
    QCOMPARE(semicolons.rows[0].brief.audience,
             QStringLiteral("Weekend trail runners, aged 25–45"));
}

QTEST_GUILESS_MAIN(TestBriefExamples)
#include "tst_briefexamples.moc"
