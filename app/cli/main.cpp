// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include <memory>

#include <QCoreApplication>
#include <QGuiApplication>

#include "app/cli/cli.h"
#include "core/version.h"

int main(int argc, char *argv[])
{
    // Only `export` draws (PDF sheets need fonts): it gets a QGuiApplication on the offscreen
    // platform unless QT_QPA_PLATFORM says otherwise. Everything else stays a QCoreApplication.
    // Neither loads QtWidgets (the ci-noui build checks that).
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    std::unique_ptr<QCoreApplication> app;
    if (brieflow::cli::needsGuiApplication(arguments)) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app = std::make_unique<QGuiApplication>(argc, argv);
    } else {
        app = std::make_unique<QCoreApplication>(argc, argv);
    }
    QCoreApplication::setApplicationName(QStringLiteral("brieflow-cli"));
    QCoreApplication::setOrganizationName(QStringLiteral("Brieflow"));
    QCoreApplication::setApplicationVersion(brieflow::applicationVersion());
    return brieflow::cli::run(QCoreApplication::arguments());
}
