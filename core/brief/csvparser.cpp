// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <algorithm>

#include "csvparser_p.h"

namespace brieflow::csv {

namespace {

bool isLineEnd(char c)
{
    return c == '\n' || c == '\r';
}

} // namespace

char detectDelimiter(QByteArrayView data)
{
    int commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (const char c : data) {
        if (c == '"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (isLineEnd(c))
            break;
        else if (c == ',')
            ++commas;
        else if (c == ';')
            ++semicolons;
        else if (c == '\t')
            ++tabs;
    }
    if (commas == 0 && semicolons > 0)
        return ';';
    if (commas == 0 && tabs > 0)
        return '\t';
    return ',';
}

QList<Record> parse(QByteArrayView data, char delimiter)
{
    QList<Record> records;
    const qsizetype n = data.size();
    qsizetype pos = 0;
    int row = 0;
    while (pos < n) {
        Record record;
        record.row = ++row;
        bool recordDone = false;
        while (!recordDone) {
            QByteArray cell;
            // Spaces before an opening quote: `a, "b, c"` is meant as two cells.
            qsizetype start = pos;
            while (start < n && data[start] == ' ')
                ++start;
            if (start < n && data[start] == '"') {
                pos = start + 1;
                bool closed = false;
                while (pos < n) {
                    const qsizetype quote = data.sliced(pos).indexOf('"');
                    if (quote < 0)
                        break;
                    cell.append(data.sliced(pos, quote));
                    pos += quote + 1;
                    if (pos < n && data[pos] == '"') {
                        cell.append('"');
                        ++pos;
                        continue;
                    }
                    closed = true;
                    break;
                }
                if (!closed) {
                    cell.append(data.sliced(std::min(pos, n)));
                    record.unterminatedCell = static_cast<int>(record.cells.size());
                    record.cells.append(cell);
                    records.append(record);
                    return records;
                }
            }
            // Unquoted text, or whatever follows a closing quote, up to the delimiter.
            while (pos < n && data[pos] != delimiter && !isLineEnd(data[pos]))
                cell.append(data[pos++]);
            record.cells.append(cell);
            if (pos < n && data[pos] == delimiter) {
                ++pos;
                continue;
            }
            if (pos < n && data[pos] == '\r') {
                ++pos;
                if (pos < n && data[pos] == '\n')
                    ++pos;
            } else if (pos < n && data[pos] == '\n') {
                ++pos;
            }
            recordDone = true;
        }
        records.append(record);
    }
    return records;
}

} // namespace brieflow::csv
