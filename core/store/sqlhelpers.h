// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <initializer_list>
#include <optional>
#include <type_traits>
#include <utility>

#include <QJsonArray>
#include <QJsonDocument>
#include <QList>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include "core/store/columns.h"
#include "core/store/connection.h"
#include "core/util/result.h"

// Running cached statements with named parameters. Internal to core/store.

namespace brieflow::db {

using Binds = QList<std::pair<QString, QVariant>>;

/** A LIKE pattern matching @p text anywhere, with LIKE's wildcards escaped by '\' (use with
 *  "LIKE :x ESCAPE '\'"). */
inline QString containsPattern(const QString &text)
{
    QString escaped;
    escaped.reserve(text.size() + 2);
    for (const QChar c : text) {
        if (c == u'\\' || c == u'%' || c == u'_')
            escaped += u'\\';
        escaped += c;
    }
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

/** The ids as a JSON array, for inIds ("IN (SELECT value FROM json_each(:ids))"): one statement
 *  for any number of ids, so the statement cache holds one entry, not one per list length. */
template<typename Id>
QString idArray(const QList<Id> &ids)
{
    QJsonArray array;
    for (const Id &id : ids)
        array.append(id.toString());
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

inline const QString inIds = QStringLiteral(" IN (SELECT value FROM json_each(:ids))");

/** Binds for the columns at @p which (all when empty), taking values from a full @p row. */
template<std::size_t N>
Binds rowBinds(const Columns<N> &columns, const QVariantList &row,
               std::initializer_list<int> which = {})
{
    Q_ASSERT(N == static_cast<std::size_t>(row.size()));
    Binds binds;
    if (which.size() == 0) {
        for (std::size_t i = 0; i < N; ++i)
            binds.append({placeholder(columns[i]), row.at(static_cast<qsizetype>(i))});
    } else {
        for (const int i : which)
            binds.append({placeholder(columns.at(static_cast<std::size_t>(i))), row.at(i)});
    }
    return binds;
}

template<typename T>
struct RowType {
    using type = T;
    static constexpr bool checked = false;
};
template<typename T>
struct RowType<Result<T, QString>> {
    using type = T;
    static constexpr bool checked = true;
};

/** Prepares (cached), binds and executes @p sql; the query is left positioned before row 1. */
inline Result<QSqlQuery *, StoreError> run(SqliteConnection &db, const QString &sql,
                                           const Binds &binds)
{
    auto prepared = db.prepared(sql);
    if (!prepared)
        return prepared;
    QSqlQuery *query = prepared.value();
    for (const auto &[name, value] : binds)
        query->bindValue(name, value);
    const auto ran = db.exec(query, sql);
    if (!ran)
        return fail(ran.error());
    return query;
}

/** Executes a write; returns the number of rows it changed. */
inline Result<int, StoreError> write(SqliteConnection &db, const QString &sql, const Binds &binds)
{
    const auto query = run(db, sql, binds);
    if (!query)
        return fail(query.error());
    const int changed = (*query)->numRowsAffected();
    (*query)->finish();
    return changed;
}

/** All rows of a SELECT, each made by @p read (which may return Result<Record, QString>; a
 *  failed read means data the store can't understand and becomes Corrupt). */
template<typename Read>
auto selectRows(SqliteConnection &db, const QString &sql, const Binds &binds, Read read)
    -> Result<QList<typename RowType<std::invoke_result_t<Read, const QSqlQuery &>>::type>,
              StoreError>
{
    using Row = RowType<std::invoke_result_t<Read, const QSqlQuery &>>;
    const auto ran = run(db, sql, binds);
    if (!ran)
        return fail(ran.error());
    QSqlQuery *query = ran.value();
    QList<typename Row::type> rows;
    while (query->next()) {
        if constexpr (Row::checked) {
            auto row = read(*query);
            if (!row) {
                query->finish();
                return fail(db.error(StoreError::Kind::Corrupt, row.error()));
            }
            rows.append(std::move(row).value());
        } else {
            rows.append(read(*query));
        }
    }
    const auto fetched = db.checkFetch(query, sql);
    if (!fetched)
        return fail(fetched.error());
    query->finish();
    return rows;
}

/** The first row of a SELECT, if any. */
template<typename Read>
auto selectOne(SqliteConnection &db, const QString &sql, const Binds &binds, Read read)
    -> Result<std::optional<typename RowType<std::invoke_result_t<Read, const QSqlQuery &>>::type>,
              StoreError>
{
    auto rows = selectRows(db, sql, binds, read);
    if (!rows)
        return fail(rows.error());
    if (rows->isEmpty())
        return std::optional<
            typename RowType<std::invoke_result_t<Read, const QSqlQuery &>>::type>{};
    return std::optional(rows->takeFirst());
}

/** The first column of the first row of a SELECT; an invalid QVariant when there is no row. */
inline Result<QVariant, StoreError> selectValue(SqliteConnection &db, const QString &sql,
                                                const Binds &binds)
{
    auto value = selectOne(db, sql, binds, [](const QSqlQuery &q) { return q.value(0); });
    if (!value)
        return fail(value.error());
    return value->value_or(QVariant());
}

} // namespace brieflow::db
