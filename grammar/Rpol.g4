// The .rpol policy language. Compiled at build time by Antlr4BuildTasks (see src/Compiler).
grammar Rpol;

compilationUnit : policyDecl EOF ;
policyDecl      : 'policy' name=IDENT ('extends' base=baseRef)? '{' '}' ;
baseRef         : IDENT | STRING ;

IDENT   : [a-zA-Z_] [a-zA-Z0-9_.\-]* ;
STRING  : '"' (~["\\\r\n] | '\\' .)* '"' ;
WS      : [ \t\r\n]+ -> skip ;
LINE_COMMENT : '//' ~[\r\n]* -> channel(HIDDEN) ;
