// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "briefcsv.h"

#include <algorithm>
#include <optional>

#include "core/brief/briefutil_p.h"
#include "core/brief/csvparser_p.h"

namespace brieflow {

namespace {

using namespace briefutil;

// Header spellings → brief field. The documented names first; the JSON paths are accepted too.
const QList<std::pair<QString, QString>> &columnNames()
{
    static const QList<std::pair<QString, QString>> names = {
        {QStringLiteral("product_name"), BriefField::ProductName},
        {QStringLiteral("audience"), BriefField::Audience},
        {QStringLiteral("value_proposition"), BriefField::ValueProposition},
        {QStringLiteral("tone"), BriefField::Tone},
        {QStringLiteral("brand_notes"), BriefField::BrandNotes},
        {QStringLiteral("aspect_ratio"), BriefField::AspectRatio},
        {QStringLiteral("image_count"), BriefField::ImageCount},
        {QStringLiteral("output_format"), BriefField::OutputFormat},
        {QStringLiteral("image.aspect_ratio"), BriefField::AspectRatio},
        {QStringLiteral("image.count"), BriefField::ImageCount},
        {QStringLiteral("image.output_format"), BriefField::OutputFormat},
    };
    return names;
}

// Likely mistakes → the column name to suggest.
const QList<std::pair<QString, QString>> &columnSuggestions()
{
    static const QList<std::pair<QString, QString>> names = {
        {QStringLiteral("product_name"), QStringLiteral("product_name")},
        {QStringLiteral("product"), QStringLiteral("product_name")},
        {QStringLiteral("name"), QStringLiteral("product_name")},
        {QStringLiteral("audience"), QStringLiteral("audience")},
        {QStringLiteral("target_audience"), QStringLiteral("audience")},
        {QStringLiteral("value_proposition"), QStringLiteral("value_proposition")},
        {QStringLiteral("value_prop"), QStringLiteral("value_proposition")},
        {QStringLiteral("tone"), QStringLiteral("tone")},
        {QStringLiteral("tone_of_voice"), QStringLiteral("tone")},
        {QStringLiteral("brand_notes"), QStringLiteral("brand_notes")},
        {QStringLiteral("notes"), QStringLiteral("brand_notes")},
        {QStringLiteral("aspect_ratio"), QStringLiteral("aspect_ratio")},
        {QStringLiteral("ratio"), QStringLiteral("aspect_ratio")},
        {QStringLiteral("image_count"), QStringLiteral("image_count")},
        {QStringLiteral("count"), QStringLiteral("image_count")},
        {QStringLiteral("images"), QStringLiteral("image_count")},
        {QStringLiteral("num_outputs"), QStringLiteral("image_count")},
        {QStringLiteral("output_format"), QStringLiteral("output_format")},
        {QStringLiteral("format"), QStringLiteral("output_format")},
    };
    return names;
}

const QString columnList = QStringLiteral(
    "product_name, audience, value_proposition, and optionally tone, brand_notes, aspect_ratio, "
    "image_count, output_format");

QString normalizedHeader(const QString &name)
{
    QString key = name.trimmed().toLower();
    key.replace(QLatin1Char(' '), QLatin1Char('_'));
    key.replace(QLatin1Char('-'), QLatin1Char('_'));
    return key;
}

QString fieldForHeader(const QString &key)
{
    for (const auto &[name, field] : columnNames()) {
        if (name == key)
            return field;
    }
    return {};
}

QString csvColumnName(const QString &field)
{
    for (const auto &[name, known] : columnNames()) {
        if (known == field)
            return name;
    }
    return field;
}

// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
QString columnLetter(qsizetype index)
{
    QString letters;
    for (qsizetype i = index + 1; i > 0; i = (i - 1) / 26)
        letters.prepend(QChar(u'A' + static_cast<char16_t>((i - 1) % 26)));
    return letters;
}

QString delimiterName(char delimiter)
{
    if (delimiter == ';')
        return QStringLiteral("semicolon");
    if (delimiter == '\t')
        return QStringLiteral("tab");
    return QStringLiteral("comma");
}

bool isBlank(const csv::Record &record)
{
    if (record.unterminatedCell >= 0)
        return false;
    for (const QByteArray &cell : record.cells) {
        if (!cell.trimmed().isEmpty())
            return false;
    }
    return true;
}

struct Header {
    QStringList fields; // per column: the brief field, or empty when the column is not used
    QList<qsizetype> unnamed;
};

// Maps the header cells to fields; problems go to @p issues. Empty when the rows can't be read:
// no known column at all, or a required one missing.
std::optional<Header> readHeader(const csv::Record &record, BriefIssues &issues)
{
    Header header;
    bool known = false;
    QStringList cells;
    for (const QByteArray &cell : record.cells)
        cells.append(QString::fromUtf8(cell).trimmed());
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const QString field = fieldForHeader(normalizedHeader(cells[i]));
        header.fields.append(QString());
        if (cells[i].isEmpty()) {
            header.unnamed.append(i);
        } else if (field.isEmpty()) {
            issues.append(
                {cells[i], QStringLiteral("Unknown column %1 (column %2) — Brieflow "
                                          "doesn't use it. Remove the column or rename "
                                          "it.%3")
                               .arg(quotedValue(cells[i]), columnLetter(i),
                                    didYouMean(suggestName(cells[i], columnSuggestions())))});
        } else if (const qsizetype first = header.fields.indexOf(field); first >= 0) {
            issues.append({field, QStringLiteral("The column %1 appears twice (columns %2 and %3) "
                                                 "— keep only one.")
                                      .arg(quotedValue(csvColumnName(field)), columnLetter(first),
                                           columnLetter(i))});
        } else {
            header.fields.last() = field;
            known = true;
        }
    }
    if (!known) {
        issues = {{QString(), QStringLiteral("The first row must name the columns: %1. None of "
                                             "its cells is such a name (it starts with %2).")
                                  .arg(columnList, quotedValue(cells.value(0)))}};
        return std::nullopt;
    }
    // Without a required column every row would fail the same way: report the column only.
    bool complete = true;
    for (const QString &required : {QString(BriefField::ProductName), QString(BriefField::Audience),
                                    QString(BriefField::ValueProposition)}) {
        if (header.fields.contains(required))
            continue;
        complete = false;
        issues.append({required, QStringLiteral("The required column %1 is missing — add it "
                                                "to the header row (row %2).")
                                     .arg(quotedValue(csvColumnName(required)))
                                     .arg(record.row)});
    }
    if (!complete)
        return std::nullopt;
    return header;
}

// Reads image_count: spreadsheets give text, so "2" and "2.0" are fine here (unlike in JSON).
void readCount(const QString &text, Brief &brief, BriefIssues &issues, QStringList &failed)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return;
    bool isInt = false;
    int value = t.toInt(&isInt);
    if (!isInt) {
        const qsizetype dot = t.indexOf(QLatin1Char('.'));
        const QString fraction = dot > 0 ? t.sliced(dot + 1) : QString();
        if (dot > 0 && !fraction.isEmpty()
            && std::all_of(fraction.cbegin(), fraction.cend(),
                           [](QChar c) { return c == QLatin1Char('0'); }))
            value = t.left(dot).toInt(&isInt);
    }
    if (isInt) {
        brief.image.count = value; // validateBrief() checks the range
        return;
    }
    issues.append({BriefField::ImageCount,
                   QStringLiteral("Number of images must be a whole number from %1 to %2; got %3.")
                       .arg(MinImageCount)
                       .arg(MaxImageCount)
                       .arg(quotedValue(t))});
    failed.append(BriefField::ImageCount);
}

void setField(Brief &brief, const QString &field, const QString &text)
{
    if (field == BriefField::ProductName)
        brief.productName = text;
    else if (field == BriefField::Audience)
        brief.audience = text;
    else if (field == BriefField::ValueProposition)
        brief.valueProposition = text;
    else if (field == BriefField::Tone)
        brief.tone = text;
    else if (field == BriefField::BrandNotes)
        brief.brandNotes = text;
    else if (field == BriefField::AspectRatio)
        brief.image.aspectRatio = text;
    else if (field == BriefField::OutputFormat)
        brief.image.outputFormat = text;
}

QString cellName(const Header &header, qsizetype index)
{
    const QString field = header.fields.value(index);
    return field.isEmpty() ? QStringLiteral("column %1").arg(columnLetter(index))
                           : briefFieldLabel(field);
}

// One data row → its brief and issues.
void readRow(const csv::Record &record, const Header &header, char delimiter, CsvBriefRow &row)
{
    const qsizetype columns = header.fields.size();
    if (record.unterminatedCell >= 0) {
        row.issues.append(
            {header.fields.value(record.unterminatedCell),
             QStringLiteral("A quote (\") opens the %1 cell of this row but is never closed, so "
                            "everything after it to the end of the file was read as that one "
                            "cell. Add the closing quote.")
                 .arg(cellName(header, record.unterminatedCell))});
        return;
    }
    qsizetype used = record.cells.size();
    while (used > columns && record.cells[used - 1].trimmed().isEmpty())
        --used; // trailing empty cells, as some spreadsheets write them, are harmless
    if (used != columns) {
        const QString fix =
            used > columns ? QStringLiteral("a cell containing a %1 must be put in double quotes")
                                 .arg(delimiterName(delimiter))
                           : QStringLiteral("add the missing cells (they can be empty)");
        row.issues.append({QString(), QStringLiteral("This row has %1 cells but the header row "
                                                     "has %2 columns — %3.")
                                          .arg(used)
                                          .arg(columns)
                                          .arg(fix)});
        return;
    }

    Brief brief;
    BriefIssues issues;
    QStringList failed;
    for (qsizetype i = 0; i < columns; ++i) {
        const QString &field = header.fields[i];
        if (field.isEmpty())
            continue;
        const QByteArray &bytes = record.cells[i];
        if (const qsizetype bad = firstInvalidUtf8(bytes); bad >= 0) {
            issues.append({field, QStringLiteral("%1 contains text that isn't UTF-8 (byte %2), so "
                                                 "letters such as é or ñ would come out garbled.")
                                      .arg(briefFieldLabel(field),
                                           byteName(static_cast<unsigned char>(bytes[bad])))});
            failed.append(field);
            continue;
        }
        const QString text = QString::fromUtf8(bytes);
        if (field == BriefField::ImageCount)
            readCount(text, brief, issues, failed);
        else
            setField(brief, field, text);
    }
    issues += withoutFields(validateBrief(brief), failed);
    sortIssues(issues);
    row.brief = normalizedBrief(brief);
    row.issues = issues;
}

} // namespace

bool CsvBriefs::ok() const
{
    return fileIssues.isEmpty() && !rows.isEmpty() && validCount() == rows.size();
}

int CsvBriefs::validCount() const
{
    return static_cast<int>(std::count_if(
        rows.cbegin(), rows.cend(), [](const CsvBriefRow &row) { return row.issues.isEmpty(); }));
}

QList<Brief> CsvBriefs::validBriefs() const
{
    QList<Brief> briefs;
    for (const CsvBriefRow &row : rows) {
        if (row.issues.isEmpty())
            briefs.append(row.brief);
    }
    return briefs;
}

CsvBriefs briefsFromCsv(const QByteArray &csv)
{
    CsvBriefs result;
    const auto fileIssue = [&](const QString &message) -> const CsvBriefs & {
        result.fileIssues.append({QString(), message});
        return result;
    };
    const auto firstNonUtf8Row = [&](const QList<csv::Record> &records) {
        for (const csv::Record &r : records) {
            for (const QByteArray &cell : r.cells) {
                if (firstInvalidUtf8(cell) >= 0)
                    return r.row;
            }
        }
        return 0;
    };
    if (csv.size() > MaxBriefCsvBytes)
        return fileIssue(QStringLiteral("The file is too large (%1); a CSV of briefs can be at "
                                        "most %2. Split it into smaller files.")
                             .arg(formatByteSize(csv.size()), formatByteSize(MaxBriefCsvBytes)));

    const QByteArrayView data = withoutBom(csv);
    if (looksLikeUtf16(data))
        return fileIssue(QStringLiteral("The file is saved as UTF-16 text. Save it as \"CSV "
                                        "UTF-8\" in Excel, or choose the UTF-8 encoding."));
    const char delimiter = csv::detectDelimiter(data);
    const QList<csv::Record> records = csv::parse(data, delimiter);
    auto record = std::find_if(records.cbegin(), records.cend(),
                               [](const csv::Record &r) { return !isBlank(r); });
    if (record == records.cend())
        return fileIssue(QStringLiteral("The file is empty. It needs a header row naming the "
                                        "columns (%1) and then one brief per row.")
                             .arg(columnList));
    if (record->unterminatedCell >= 0)
        return fileIssue(QStringLiteral("The header row (row %1) has a quote (\") that is never "
                                        "closed. Add the closing quote.")
                             .arg(record->row));

    const std::optional<Header> header = readHeader(*record, result.fileIssues);
    if (!header)
        return result;

    QList<csv::Record> dataRecords;
    for (++record; record != records.cend(); ++record) {
        if (!isBlank(*record))
            dataRecords.append(*record);
    }
    if (dataRecords.isEmpty())
        return fileIssue(QStringLiteral("The file has a header row but no briefs. Add one brief "
                                        "per row below the header."));
    if (dataRecords.size() > MaxBriefCsvRows)
        return fileIssue(QStringLiteral("The file has %1 briefs; at most %2 can be read at once. "
                                        "Split it into smaller files.")
                             .arg(formatCount(dataRecords.size()), formatCount(MaxBriefCsvRows)));

    for (const csv::Record &r : std::as_const(dataRecords)) {
        CsvBriefRow row;
        row.row = r.row;
        readRow(r, *header, delimiter, row);
        result.rows.append(row);
    }

    // Cells under a nameless column: fine while empty, but values there would be lost.
    for (const qsizetype column : header->unnamed) {
        for (const csv::Record &r : std::as_const(dataRecords)) {
            if (!r.cells.value(column).trimmed().isEmpty()) {
                fileIssue(QStringLiteral("Column %1 has values (first in row %2) but no name in "
                                         "the header row. Name it or delete it.")
                              .arg(columnLetter(column))
                              .arg(r.row));
                break;
            }
        }
    }
    if (const int row = firstNonUtf8Row(records); row > 0) {
        fileIssue(QStringLiteral("The file isn't saved as UTF-8 text, so some letters can't be "
                                 "read (first in row %1). In Excel, save it as \"CSV UTF-8\"; in "
                                 "other apps, choose the UTF-8 encoding.")
                      .arg(row));
    }
    return result;
}

} // namespace brieflow
