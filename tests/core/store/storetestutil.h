// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <initializer_list>

#include <QStringList>
#include <QTest>

#include "core/store/records.h"
#include "core/store/storeerror.h"

// QCOMPARE can't print our enums: brieflow::toString(JobStatus) returns a QString and wins over
// QTest::toString by ADL. Compare their database/log strings instead, which also reads better.
#define COMPARE_ENUM(actual, expected) QCOMPARE(toString(actual), toString(expected))

namespace brieflow::test {

/** A QStringList from ASCII literals (QT_NO_CAST_FROM_ASCII forbids the implicit way). */
inline QStringList strings(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *s : list)
        out << QString::fromLatin1(s);
    return out;
}

} // namespace brieflow::test

// Verifies a Result and prints its StoreError when it failed.
#define VERIFY_OK(result)                                                                          \
    do {                                                                                           \
        const auto &verifyOkResult = (result);                                                     \
        QVERIFY2(verifyOkResult.ok(),                                                              \
                 qPrintable(verifyOkResult.ok() ? QString() : verifyOkResult.error().logText()));  \
    } while (false)
